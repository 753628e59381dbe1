"""Pages of the resource libraries (#18): needs, achievements, matches, contracts."""
