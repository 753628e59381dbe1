from __future__ import annotations

from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "cimon.web.evaluations"
    label = "web_evaluations"  # the models and their label "evaluations" live in cimon.store.evaluations
    verbose_name = "监测评价 / Evaluations"
