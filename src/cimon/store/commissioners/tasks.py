"""Which of a dispatch's tasks (三方协议的服务任务, :attr:`~.models.Dispatch.tasks`) are done in a
year: the county of the dispatch (or the province) records done / not done with a note
(:func:`record_task_status`, audited ``dispatch.task``); a new row supersedes the previous one of
the same dispatch, year and task, the old rows are kept. :func:`task_counts` gives the
assessment its ``tasks_required`` and ``tasks_done`` per commissioner, set-based."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cimon.store import audit
from cimon.store.commissioners.common import CommissionerError, check_year, name_of
from cimon.store.commissioners.models import Dispatch, TaskStatus
from cimon.store.commissioners.names import ACCEPTED, ENDED

__all__ = ["current_task_status", "record_task_status", "task_counts"]

#: the longest note kept with a task's status
NOTE_LIMIT = 2000


@transaction.atomic
def record_task_status(
    dispatch: Dispatch, user: Any, year: int, task_index: int, done: bool, note: str = ""
) -> TaskStatus:
    """Record whether task ``task_index`` (0-based) of an accepted or ended ``dispatch`` is done
    in ``year`` (within the dispatch's term); supersedes the previous row of that task and year.
    Who may call it is :func:`cimon.store.commissioners.policy.can` ``(user, "tasks", dispatch)``.
    """
    check_year(year)
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if dispatch.status not in (ACCEPTED, ENDED):
        raise CommissionerError(
            f"派遣 #{dispatch.pk} 尚未被接受，不能记录任务完成情况。",
            f"Dispatch #{dispatch.pk} is not accepted: its tasks cannot be marked yet.",
        )
    if not dispatch.start_on.year <= year <= dispatch.end_on.year:
        raise CommissionerError(
            f"派遣 #{dispatch.pk} 的期限为 {dispatch.start_on}–{dispatch.end_on}，"
            f"不含 {year} 年；请选择期限内的年度。",
            f"Dispatch #{dispatch.pk} runs {dispatch.start_on}–{dispatch.end_on}, not in "
            f"{year}: choose a year of its term.",
        )
    tasks = list(dispatch.tasks or [])
    if isinstance(task_index, bool) or not isinstance(task_index, int):
        raise CommissionerError(
            f"任务序号应为整数，而不是 {task_index!r}。",
            f"The task number must be a whole number, not {task_index!r}.",
        )
    if not 0 <= task_index < len(tasks):
        raise CommissionerError(
            f"派遣 #{dispatch.pk} 有 {len(tasks)} 项服务任务，没有第 {task_index + 1} 项。",
            f"Dispatch #{dispatch.pk} has {len(tasks)} tasks, not a task {task_index + 1}.",
        )
    if not isinstance(done, bool):
        raise CommissionerError(
            f"完成情况应为是或否，而不是 {done!r}。", f"Done must be yes or no, not {done!r}."
        )
    note = str(note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise CommissionerError(
            f"说明最多 {NOTE_LIMIT} 个字符，现有 {len(note)} 个。",
            f"The note has at most {NOTE_LIMIT} characters, not {len(note)}.",
        )
    now = timezone.now()
    old = (
        TaskStatus.objects.select_for_update()
        .filter(dispatch=dispatch, year=year, task_index=task_index, superseded_at__isnull=True)
        .first()
    )
    if old is not None:
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
    row = TaskStatus.objects.create(
        dispatch=dispatch,
        year=year,
        task_index=task_index,
        done=done,
        note=note,
        recorded_at=now,
        recorded_by=name_of(user),
    )
    audit.record(
        user, "dispatch.task", "dispatch", dispatch.pk, old=old.done if old else None, new=done,
        year=year, task=task_index, note=note,
    )  # fmt: skip
    return row


def current_task_status(dispatch: Dispatch, year: int) -> dict[int, TaskStatus]:
    """The current row of each task of ``dispatch`` in ``year`` that has one, by task index."""
    rows = TaskStatus.objects.filter(dispatch=dispatch, year=year, superseded_at__isnull=True)
    return {r.task_index: r for r in rows}


def task_counts(year: int) -> pd.DataFrame:
    """``commissioner_id, tasks_required, tasks_done`` for ``year``: the tasks written into each
    commissioner's accepted (or since ended) dispatches whose term overlaps the year — the same
    dispatches as :func:`~.facts.yearly_facts` — and those of them whose current row of the
    year says done. Two queries; commissioners without such a dispatch have no row."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    running = Dispatch.objects.filter(
        Q(status__in=(ACCEPTED, ENDED)), start_on__lte=last, end_on__gte=first
    )
    sizes: dict[int, int] = {}
    required: dict[int, int] = {}
    for pk, cid, tasks in running.order_by().values_list("pk", "commissioner_id", "tasks"):
        sizes[pk] = len(tasks or [])
        required[cid] = required.get(cid, 0) + sizes[pk]
    done: dict[int, int] = {}
    rows = TaskStatus.objects.filter(
        dispatch__in=running, year=year, superseded_at__isnull=True, done=True
    ).values_list("dispatch_id", "dispatch__commissioner_id", "task_index")
    for pk, cid, index in rows:
        if index < sizes.get(pk, 0):
            done[cid] = done.get(cid, 0) + 1
    return pd.DataFrame.from_records(
        [(cid, n, done.get(cid, 0)) for cid, n in sorted(required.items())],
        columns=["commissioner_id", "tasks_required", "tasks_done"],
    )
