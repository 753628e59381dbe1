"""Programme pages (#19): the pipeline, a county's application and plan, the workflow steps."""
