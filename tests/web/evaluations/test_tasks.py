"""Background work on Django's task framework (django-tasks + django-tasks-db): a run is queued
with its evaluation, a worker runs it, a crash is recorded, a worker restart takes back what it
left running, and a publication's snapshot is made by the worker."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from tests.web.conftest import publish_year, run_tasks

from cimon.store.evaluations import running, tasks
from cimon.store.evaluations.models import (
    FAILED,
    QUEUED,
    REVIEW,
    RUNNING,
    Evaluation,
    Publication,
    PublicationFile,
)
from cimon.web.evaluations import services as wf

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(users: dict[str, Any]) -> dict[str, Any]:
    from cimon.web.serving import load_demo

    load_demo(modules=False)
    return users


def _task(ev: Evaluation) -> DBTaskResult:
    return DBTaskResult.objects.get(id=ev.task_id)


def test_a_run_is_queued_with_its_evaluation_and_the_worker_runs_it(
    stored: dict[str, Any],
) -> None:
    ev = wf.start(stored["admin"], 2025)
    task = _task(ev)
    assert ev.status == QUEUED and task.status == TaskResultStatus.READY
    assert task.task_path == "cimon.store.evaluations.tasks.run_evaluation"
    assert task.args_kwargs == {"args": [ev.pk], "kwargs": {}}
    run_tasks()
    ev.refresh_from_db()
    task.refresh_from_db()
    assert ev.status == REVIEW and ev.progress == 100 and len(ev.results) == 22
    assert task.status == TaskResultStatus.SUCCESSFUL and task.return_value == REVIEW
    assert task.worker_ids == ["test-worker"]


def test_queueing_is_part_of_the_transaction(stored: dict[str, Any]) -> None:
    """The queue is a table of the same database: a start that is rolled back leaves no task
    (and no evaluation) behind."""
    with pytest.raises(RuntimeError), transaction.atomic():
        wf.start(stored["admin"], 2025)
        raise RuntimeError("rolled back")
    assert not Evaluation.objects.exists() and not DBTaskResult.objects.exists()


def test_a_crash_marks_the_evaluation_and_the_task_failed(
    stored: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(evaluation_id: int) -> Evaluation:
        Evaluation.objects.filter(pk=evaluation_id).update(status=RUNNING)
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(running, "execute", broken)
    ev = wf.start(stored["admin"], 2025)
    run_tasks()
    ev.refresh_from_db()
    assert ev.status == FAILED and "ZeroDivisionError: a bug" in ev.error and ev.finished_at
    task = _task(ev)
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "builtins.ZeroDivisionError"
    assert "a bug" in task.traceback


def test_an_evaluation_run_by_hand_is_skipped_by_its_task(stored: dict[str, Any]) -> None:
    ev = wf.start(stored["admin"], 2025)
    wf.execute(ev.pk)
    run_tasks()
    task = _task(ev)
    assert task.status == TaskResultStatus.SUCCESSFUL and task.return_value == "skipped: review"


def _left_running(ev: Evaluation, worker_id: str) -> DBTaskResult:
    """What a worker killed in the middle of the run leaves: the task claimed and running, the
    evaluation running."""
    task = _task(ev)
    task.claim(worker_id)
    Evaluation.objects.filter(pk=ev.pk).update(status=RUNNING, progress=40)
    return task


def test_a_restarted_worker_takes_back_what_it_left_running(stored: dict[str, Any]) -> None:
    ev = wf.start(stored["admin"], 2025)
    old = _left_running(ev, "test-worker")
    run_tasks()  # the same worker id starts again
    old.refresh_from_db()
    assert old.status == TaskResultStatus.FAILED
    assert old.exception_class_path == "cimon.store.evaluations.tasks.WorkerStopped"
    ev.refresh_from_db()
    assert ev.status == REVIEW and ev.task_id != str(old.id)
    assert _task(ev).status == TaskResultStatus.SUCCESSFUL
    assert ev.progress == 100


def test_another_workers_running_task_is_left_alone(stored: dict[str, Any]) -> None:
    """A task running under another id may be alive (another machine): not this worker's."""
    ev = wf.start(stored["admin"], 2025)
    task = _left_running(ev, "other-worker")
    assert tasks.requeue_orphans("test-worker") == []
    run_tasks()
    task.refresh_from_db()
    ev.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING and ev.status == RUNNING


def test_the_evaluation_page_says_when_no_worker_takes_the_run(
    stored: dict[str, Any], client: Any
) -> None:
    from datetime import timedelta

    client.force_login(stored["admin"])
    ev = wf.start(stored["admin"], 2025)
    assert "cimon worker" not in client.get(f"/evaluations/{ev.pk}/progress/").content.decode()
    Evaluation.objects.filter(pk=ev.pk).update(created_at=ev.created_at - timedelta(minutes=1))
    html = client.get(f"/evaluations/{ev.pk}/progress/").content.decode()
    assert "请确认后台任务进程在运行" in html and "cimon worker" in html


def test_publishing_queues_the_snapshot_and_the_worker_makes_it(
    stored: dict[str, Any], settings: Any
) -> None:
    """The robustness analysis and the downloads are made once, by the worker, and kept with
    the version; the pages then read them instead of computing them."""

    from cimon.analysis.uncertainty import from_json
    from cimon.store.evaluations.published import clear_caches, content_of, robustness_of, runs_for

    settings.CIMON_DASHBOARD_REPLICATES = 200
    settings.CIMON_PUBLICATION_FILES = ["xlsx:zh", "xlsx:en"]
    admin = stored["admin"]
    pub = publish_year(admin, 2025)
    snap = DBTaskResult.objects.get(task_path="cimon.store.evaluations.tasks.prepare_publication")
    assert snap.args_kwargs["args"] == [pub.pk] and snap.status == TaskResultStatus.READY
    assert not pub.robustness and pub.prepared_at is None
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(admin)
    assert "稳健性分析与下载文件生成中" in admin_client.get("/evaluations/").content.decode()

    run_tasks()
    pub.refresh_from_db()
    snap.refresh_from_db()
    assert snap.status == TaskResultStatus.SUCCESSFUL, snap.traceback
    assert "稳健性分析与下载文件已生成" in admin_client.get("/evaluations/").content.decode()
    assert pub.prepared_at is not None and pub.prepare_error == ""
    stored_rob = from_json(json.loads(pub.robustness))
    assert stored_rob.replicates == 200 and stored_rob.seed == 1
    computed = robustness_of(runs_for(pub), 2025)
    assert stored_rob.counties.equals(computed.counties)  # the same numbers, exactly
    files = {(f.kind, f.lang): f for f in PublicationFile.objects.filter(publication=pub)}
    assert set(files) == {("xlsx", "zh"), ("xlsx", "en")}
    assert bytes(files["xlsx", "zh"].content)[:2] == b"PK"
    assert files["xlsx", "zh"].name == "annual-results-2025-zh.xlsx"

    # the pages use the stored analysis: computing it again would fail now
    clear_caches()
    settings.CIMON_DASHBOARD_REPLICATES = 0  # robustness_of would give None
    assert content_of(pub).content.robustness.replicates == 200
    viewer = Client()
    viewer.force_login(stored["viewer"])
    page = viewer.get("/dashboard/2025/county/640422/")  # on the stored analysis
    assert page.status_code == 200 and "200" in page.content.decode()

    # preparing again keeps what is stored (a task run twice after a restart does no harm)
    first = bytes(files["xlsx", "zh"].content)
    tasks.prepare_publication.call(pub.pk)
    again = PublicationFile.objects.get(publication=pub, kind="xlsx", lang="zh")
    assert bytes(again.content) == first and PublicationFile.objects.count() == 2
    assert Publication.objects.get(pk=pub.pk).robustness == pub.robustness


def test_a_snapshot_of_a_version_that_cannot_be_rebuilt_says_why(
    stored: dict[str, Any], settings: Any
) -> None:

    from cimon.store.evaluations.published import clear_caches
    from cimon.store.submissions.models import Observation

    settings.CIMON_PUBLICATION_FILES = ["xlsx:zh"]
    admin = stored["admin"]
    pub = publish_year(admin, 2025)
    Observation.objects.filter(year=2024).delete()
    clear_caches()
    run_tasks()
    pub.refresh_from_db()
    assert pub.prepared_at is not None and pub.robustness == ""
    assert "无法由存储的数据重建" in pub.prepare_error
    assert "cannot be rebuilt from the stored data" in pub.prepare_error
    assert not PublicationFile.objects.exists()
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(admin)
    html = admin_client.get("/evaluations/").content.decode()
    assert "快照未能生成" in html and "无法由存储的数据重建" in html
