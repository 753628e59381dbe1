"""Background work of the platform, on Django's task framework: an evaluation run and the
snapshot of a publication.

The tasks use django-tasks (the API that became ``django.tasks`` in Django 6) with the database
backend of django-tasks-db: the queue is a table of the platform's own database (SQLite or
PostgreSQL), so a run is queued in the same transaction that records it and needs no other
server. A worker process takes the tasks: ``cimon worker`` (:func:`work`), which ``cimon serve``
starts beside the web server and restarts if it dies.

A worker that dies in the middle of a task (killed, the machine restarted) leaves that task
"running" for ever. Each worker has a stable id (``cimon worker --worker-id``, by default the
host name); when a worker starts, it first takes back what an earlier worker with its id left
running (:func:`requeue_orphans`): the task is marked failed ("the worker stopped") and queued
again, and an evaluation it was running goes back to "queued". So a run survives a worker
restart. Ids must be unique among the workers running at one time (as django-tasks-db asks).
"""

from __future__ import annotations

import logging
import socket
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

log = logging.getLogger(__name__)


class WorkerStopped(RuntimeError):
    """Recorded on a task whose worker stopped while running it (the task was queued again)."""


@task()
def run_evaluation(evaluation_id: int) -> str:
    """Run a queued evaluation (:func:`cimon.store.evaluations.running.execute`). Domain errors
    are recorded on the evaluation by ``execute``; anything else (a bug, a database outage) marks
    the evaluation failed too, then fails the task with its traceback. An evaluation that is no
    longer queued (run already, by hand or by an earlier attempt) is left alone."""
    from cimon.store.evaluations.models import FAILED, QUEUED, Evaluation
    from cimon.store.evaluations.running import execute

    status = Evaluation.objects.filter(pk=evaluation_id).values_list("status", flat=True).first()
    if status != QUEUED:
        return f"skipped: {status or 'missing'}"
    try:
        return execute(evaluation_id).status
    except Exception as exc:
        log.exception("evaluation %s failed", evaluation_id)
        Evaluation.objects.filter(pk=evaluation_id).update(
            status=FAILED,
            error=f"内部错误 / internal error: {type(exc).__name__}: {exc}",
            progress_note="失败 / failed",
            finished_at=timezone.now(),
        )
        raise


@task()
def prepare_publication(publication_id: int) -> str:
    """Make the snapshot of a published version: its robustness analysis and its downloads
    (:func:`cimon.store.evaluations.snapshot.prepare`)."""
    from cimon.store.evaluations.snapshot import prepare

    return prepare(publication_id)


def enqueue_evaluation(evaluation_id: int) -> str:
    """Queue the run of an evaluation; returns the task result's id."""
    return str(run_evaluation.enqueue(evaluation_id).id)


def enqueue_publication(publication_id: int) -> str:
    return str(prepare_publication.enqueue(publication_id).id)


def default_worker_id() -> str:
    """The worker id when none is given: ``cimon-<host name>`` (at most 64 characters)."""
    return f"cimon-{socket.gethostname()}"[:64]


def requeue_orphans(worker_id: str) -> list[str]:
    """Take back the tasks an earlier worker with ``worker_id`` left running (see the module
    docstring): mark each failed, put its evaluation back in the queue and queue the task again.
    Returns the ids of the new task results."""
    from django_tasks_db.models import DBTaskResult

    from cimon.store.evaluations.models import QUEUED, RUNNING, Evaluation

    ours = {run_evaluation.module_path, prepare_publication.module_path}
    again: list[str] = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, task_path__in=ours)
    for result in running:
        if not result.worker_ids or result.worker_ids[-1] != worker_id:
            continue  # another worker's, alive or not: not ours to judge
        with transaction.atomic():
            result.set_failed(
                WorkerStopped(f"worker {worker_id} stopped while running this task; queued again")
            )
            args = list(result.args_kwargs.get("args") or [])
            if result.task_path == run_evaluation.module_path:
                (evaluation_id,) = args
                Evaluation.objects.filter(pk=evaluation_id, status=RUNNING).update(
                    status=QUEUED,
                    progress=0,
                    progress_note="后台进程重启，重新排队 / the worker restarted: queued again",
                )
                new_id = enqueue_evaluation(evaluation_id)
                Evaluation.objects.filter(pk=evaluation_id).update(task_id=new_id)
            else:
                new_id = enqueue_publication(*args)
        log.warning(
            "task %s (%s) was left running by %s: queued again as %s",
            result.id,
            result.task_path,
            worker_id,
            new_id,
        )
        again.append(new_id)
    return again


def work(
    worker_id: str | None = None,
    *,
    batch: bool = False,
    interval: float = 1.0,
    max_tasks: int | None = None,
    verbosity: int = 1,
) -> None:
    """Run the worker: take back what this worker id left running, then run tasks as they come
    (``batch``: the ones waiting now, then return). Blocks; SIGINT/SIGTERM stop it after the
    task in hand."""
    from django.core.management import call_command

    wid = worker_id or default_worker_id()
    requeue_orphans(wid)
    options: dict[str, Any] = {
        "worker_id": wid,
        "batch": batch,
        "interval": interval,
        "reload": False,
        "startup_delay": False,
        "verbosity": verbosity,
    }
    if max_tasks is not None:
        options["max_tasks"] = max_tasks
    call_command("db_worker", **options)
