from __future__ import annotations

from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "cimon.web.submissions"
    label = "submissions"
    verbose_name = "数据报送 / Submissions"
    default_auto_field = "django.db.models.BigAutoField"
