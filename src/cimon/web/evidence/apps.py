from __future__ import annotations

from django.apps import AppConfig


class EvidencePagesConfig(AppConfig):
    name = "cimon.web.evidence"
    label = "web_evidence"  # the models and their label "evidence" live in cimon.store.evidence
    verbose_name = "创新管理材料 / Management evidence"
