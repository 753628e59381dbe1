from __future__ import annotations

from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "cimon.web.evaluations"
    label = "evaluations"
    verbose_name = "监测评价 / Evaluations"
    default_auto_field = "django.db.models.BigAutoField"
