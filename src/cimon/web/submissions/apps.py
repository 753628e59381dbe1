from __future__ import annotations

from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "cimon.web.submissions"
    label = "web_submissions"  # the models and their label "submissions" live in cimon.store.submissions
    verbose_name = "数据报送 / Submissions"
