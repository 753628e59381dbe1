"""The models and their migrations agree (a model change without a migration fails here)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"missing migrations (exit {exc.code}):\n{out.getvalue()}")


#: the registries' tables (#16), label "registry"
REGISTRY_MODELS = ("ListImport", "Enterprise", "EnterpriseName", "EnterpriseCounty",
                   "Qualification", "Carrier", "ReviewItem", "DerivedCount")  # fmt: skip
#: the resource libraries' tables (#18), label "libraries"
LIBRARY_MODELS = ("Need", "NeedVersion", "Achievement", "AchievementVersion", "Match",
                  "MatchStage", "Contract", "ImportAttempt", "TalentProfile", "TalentVersion",
                  "MatchFeedback", "TransferProject",
                  # 揭榜挂帅 calls and 成果征集 collections (libraries/0003_calls)
                  "Call", "CallVersion", "CallReviewer", "CallApplication",
                  "CallApplicationVersion", "CallFile", "CallScore", "Milestone",
                  "MilestoneReport", "Collection", "CollectionReviewer", "CollectionEntry",
                  "EntryScore", "CollectionObjection",
                  # the 项目库 (libraries/0004_projects)
                  "Project", "ProjectVersion")  # fmt: skip
#: the programmes' tables (#19), label "programmes"
PROGRAMME_MODELS = ("Programme", "Batch", "Application", "PlanVersion", "ReviewScore",
                    "ProgressReport", "Acceptance", "Case", "MidTermReview", "AcceptanceFile",
                    "AcceptanceReview", "AcceptanceObjection", "CaseFile", "CaseVersion",
                    "TargetPlan", "TargetReport")  # fmt: skip
#: the commissioners' tables (#17), label "commissioners"
COMMISSIONER_MODELS = ("DispatchUnit", "Commissioner", "CommissionerVersion", "Team",
                       "TeamMember", "TeamCoverage", "Dispatch", "ServiceDays", "TaskStatus", "UnitRating",
                       "ServiceRecord", "ServiceEvidence", "RatingToken", "Venture", "Training",
                       "SelectionCall", "Candidate", "Assessment")  # fmt: skip


def test_the_store_apps_keep_their_labels_and_tables() -> None:
    """Moved from cimon.web to cimon.store (#15) with their labels: the tables, the migration
    records (``django_migrations.app``) and the content types of existing databases still match."""
    from django.apps import apps

    tables = {
        m._meta.label: m._meta.db_table
        for m in apps.get_models()
        if m.__module__.startswith("cimon.store.")
    }
    assert tables == {
        "accounts.Account": "accounts_account",
        "accounts.ExpertAssignment": "accounts_expertassignment",
        "submissions.Submission": "submissions_submission",
        "submissions.Observation": "submissions_observation",
        "submissions.Claim": "submissions_claim",
        "submissions.EvidenceFile": "submissions_evidencefile",
        "submissions.AuditEvent": "submissions_auditevent",
        "submissions.Deadline": "submissions_deadline",
        "evaluations.Evaluation": "evaluations_evaluation",
        "evaluations.Objection": "evaluations_objection",
        "evaluations.Publication": "evaluations_publication",
        "evaluations.PublicationFile": "evaluations_publicationfile",
        "evidence.Item": "evidence_item",
        "evidence.Document": "evidence_document",
        "evidence.Conflict": "evidence_conflict",
        "evidence.Clarification": "evidence_clarification",
        "evidence.Score": "evidence_score",
        **{f"registry.{m}": f"registry_{m.lower()}" for m in REGISTRY_MODELS},
        **{f"libraries.{m}": f"libraries_{m.lower()}" for m in LIBRARY_MODELS},
        **{f"programmes.{m}": f"programmes_{m.lower()}" for m in PROGRAMME_MODELS},
        **{f"commissioners.{m}": f"commissioners_{m.lower()}" for m in COMMISSIONER_MODELS},
        "national.ProvinceImport": "national_provinceimport",  # #20
        "national.ProvinceMember": "national_provincemember",
        "national.ProvinceEvaluation": "national_provinceevaluation",
    }
    assert {a.label: a.name for a in apps.get_app_configs() if a.name.startswith("cimon.")} == {
        "accounts": "cimon.store.accounts",
        "submissions": "cimon.store.submissions",
        "evaluations": "cimon.store.evaluations",
        "registry": "cimon.store.registry",
        "libraries": "cimon.store.libraries",
        "web_accounts": "cimon.web.accounts",
        "web_submissions": "cimon.web.submissions",
        "web_evaluations": "cimon.web.evaluations",
        "dashboard": "cimon.web.dashboard",
        "api": "cimon.web.api",
        "evidence": "cimon.store.evidence",
        "web_evidence": "cimon.web.evidence",
        "programmes": "cimon.store.programmes",
        "commissioners": "cimon.store.commissioners",
        "national": "cimon.store.national",
    }


def test_data_migrations_use_the_database_being_migrated() -> None:
    """A restore migrates a copy under another alias (cimon.ops.restore._migrate): a data
    migration that queries ``Model.objects`` without ``.using(schema_editor.connection.alias)``
    reads or writes the default database instead (it broke `cimon backup --verify` of an older
    release's database once)."""
    import re
    from pathlib import Path

    import cimon.store

    offenders = []
    for path in Path(cimon.store.__file__).parent.glob("*/migrations/0*.py"):
        text = path.read_text(encoding="utf-8")
        if "RunPython" not in text:
            continue
        for m in re.finditer(r"\.objects\.(?!using\()", text):
            offenders.append(
                f"{path.parent.parent.name}/{path.name}: {text[m.start() - 40 : m.end() + 20]!r}"
            )
    assert not offenders, offenders
