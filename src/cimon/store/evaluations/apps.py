from __future__ import annotations

from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    # the label (and so the tables, migrations and content types) it had as cimon.web.evaluations
    name = "cimon.store.evaluations"
    label = "evaluations"
    verbose_name = "监测评价 / Evaluations"
    default_auto_field = "django.db.models.BigAutoField"
