from __future__ import annotations

from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    # the label (and so the tables, migrations and content types) it had as cimon.web.submissions
    name = "cimon.store.submissions"
    label = "submissions"
    verbose_name = "数据报送 / Submissions"
    default_auto_field = "django.db.models.BigAutoField"
