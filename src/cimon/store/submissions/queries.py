"""Reading what is stored: the panel as of a moment, the history of one value, what is missing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from django.db.models import Q, QuerySet
from django.utils import timezone

from cimon.model.framework import Framework
from cimon.model.panel import COLUMNS, Panel
from cimon.model.regions import COUNTY_DEPARTMENT, RegionRegistry
from cimon.store.submissions.models import (
    DRAFT,
    REJECTED,
    Claim,
    Observation,
    Submission,
)


def as_of_filter(moment: datetime | None) -> Q:
    """Rows valid at ``moment`` (None: now): recorded at or before it and not superseded by then."""
    if moment is None:
        return Q(superseded_at__isnull=True)
    return Q(recorded_at__lte=moment) & (
        Q(superseded_at__isnull=True) | Q(superseded_at__gt=moment)
    )


def aware(moment: datetime | None) -> datetime | None:
    """``moment`` with a zone: a naive time is local time (settings.TIME_ZONE)."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


_aware = aware


def local_time(moment: datetime | None, *, zone: bool = False) -> str:
    """``moment`` as the platform and the CLI show every time: in the configured local zone
    (``settings.TIME_ZONE``, ``CIMON_TIME_ZONE``, Asia/Shanghai by default), to the second,
    without microseconds; with ``zone`` the zone's name follows (``2024-05-01 10:30:00
    Asia/Shanghai``). A naive ``moment`` is already local. ``""`` for None."""
    if moment is None:
        return ""
    text = timezone.localtime(_aware(moment)).strftime("%Y-%m-%d %H:%M:%S")
    return f"{text} {timezone.get_current_timezone_name()}" if zone else text


def panel_as_of(
    moment: datetime | None = None,
    framework: Framework | None = None,
    *,
    include_missing: bool = False,
    region_prefix: str = "",
) -> Panel:
    """The accepted values valid at ``moment`` (default: now) as a long :class:`Panel`.

    Only the framework's variables when ``framework`` is given. Rubric scores keep one row per
    expert (``source`` is ``file#expert``, as :meth:`ParsedSubmission.frame` names them), which
    :meth:`Panel.wide` combines by the framework's rule. Values a submission reported as missing
    are left out (as :func:`~cimon.model.panel_file.read_panel` leaves out blank cells) unless
    ``include_missing``. A naive ``moment`` is read in Asia/Shanghai time. ``region_prefix``:
    only the regions whose code starts with it (a hosted province's two digits, #20).
    """
    qs = Observation.objects.filter(as_of_filter(_aware(moment)))
    if framework is not None:
        qs = qs.filter(variable__in=[v.code for v in framework.variables])
    if not include_missing:
        qs = qs.filter(value__isnull=False)
    if region_prefix:
        qs = qs.filter(region_code__startswith=region_prefix)
    rows = list(
        qs.order_by().values_list(
            "region_code", "year", "variable", "value", "status", "expert", "submission__file_name"
        )
    )
    df = pd.DataFrame(
        rows,
        columns=["region_code", "year", "variable", "value", "status", "expert", "file"],
    )
    df["value"] = pd.to_numeric(df["value"]).astype(float)  # NULL → NaN
    # from the fetched tuples, not the frame's columns: iterating a pandas string column
    # element by element was a second of every national upload's validation (#20)
    df["source"] = [f"{r[6]}#{r[5]}" if r[5] else r[6] for r in rows]
    label = "数据库 / database" + (f" @ {local_time(moment, zone=True)}" if moment else "")
    return Panel.from_frame(df[list(COLUMNS)], source=label)


@dataclass(frozen=True)
class HistoryRow:
    """One version of one value: what was reported, by whom, in which file, and when it changed."""

    region_code: str
    year: int
    variable: str
    expert: str
    value: float | None
    status: str
    recorded_at: datetime
    superseded_at: datetime | None
    superseded_by: int | None
    submission: int
    file_name: str
    department: str
    submitted_by: str
    sheet: str
    cell: str
    raw: str

    @property
    def current(self) -> bool:
        return self.superseded_at is None


def history(
    region: str,
    variable: str,
    year: int | None = None,
    *,
    registry: RegionRegistry | None = None,
) -> list[HistoryRow]:
    """Every stored version of a county's variable (data year ``year``, default all years),
    oldest first: value, status, who submitted it in which file and cell, when it was recorded
    and when (and by which submission) it was superseded.

    ``region`` is a code or, with a ``registry``, a name as a user types it (西吉縣, 西吉).
    """
    code = registry.match(region).code if registry is not None else str(region)
    qs = Observation.objects.filter(region_code=code, variable=variable)
    if year is not None:
        qs = qs.filter(year=year)
    qs = qs.select_related("submission").order_by("year", "expert", "recorded_at", "id")
    return [
        HistoryRow(
            region_code=o.region_code,
            year=o.year,
            variable=o.variable,
            expert=o.expert,
            value=o.value,
            status=o.status,
            recorded_at=o.recorded_at,
            superseded_at=o.superseded_at,
            superseded_by=o.superseded_by_id,
            submission=o.submission_id,
            file_name=o.submission.file_name,
            department=o.submission.department,
            submitted_by=o.submission.submitted_by,
            sheet=o.sheet,
            cell=o.cell,
            raw=o.raw,
        )
        for o in qs
    ]


def _local(moment: datetime | None) -> str:
    return local_time(moment)


_STATUS_ZH = {"reported": "填报", "missing": "缺失", "estimated": "估算", "imputed": "插补"}


def history_text(rows: list[HistoryRow], lang: str = "zh", name: str = "") -> str:
    """A table of :func:`history` rows, oldest first; the current version is marked."""
    en = lang == "en"
    if not rows:
        return "No stored values." if en else "没有存储的数据。"
    head = (
        ["data year", "expert", "value", "status", "recorded", "superseded", "submission", "by"]
        if en
        else ["数据年度", "专家", "数值", "状态", "记录时间", "被替代时间", "提交", "报送人"]
    )
    first = rows[0]
    zone = timezone.get_current_timezone_name()
    title = f"{name or first.region_code} {first.variable}" + (
        f" (times: {zone})" if en else f"（时间：{zone}）"
    )
    lines = [title, "\t".join(head)]
    for r in rows:
        value = "" if r.value is None else repr(r.value)
        place = "!".join(x for x in (r.sheet, r.cell) if x)
        sub = f"#{r.submission} {r.file_name}" + (f" [{place}]" if place else "")
        superseded = (
            f"{_local(r.superseded_at)} (#{r.superseded_by})"
            if r.superseded_at
            else ("current" if en else "现行")
        )
        by = r.submitted_by + (f" ({r.department})" if r.department else "")
        lines.append(
            "\t".join(
                [
                    str(r.year),
                    r.expert or "-",
                    value,
                    r.status if en else _STATUS_ZH.get(r.status, r.status),
                    _local(r.recorded_at),
                    superseded,
                    sub,
                    by,
                ]
            )
        )
    return "\n".join(lines)


REFUSED = (REJECTED, DRAFT)  # attempts whose values were not stored (kept, never deleted)
SHOWN_ATTEMPTS = 3  # refused attempts `data status` lists per department unless asked for all


@dataclass(frozen=True)
class Attempt:
    """A refused attempt: a rejected file or an unacknowledged draft (newest first in lists)."""

    id: int
    file_name: str
    at: datetime
    by: str
    status: str


def missing_summary(
    missing: dict[str, list[str]], counties: Iterable[str]
) -> tuple[list[str], dict[str, list[str]]]:
    """Missing county × variable cells summed up for people: the variables missing in **every**
    county (one line instead of one per county), and per county the rest. ``missing`` maps
    region code → variables, ``counties`` are all the codes that should have reported."""
    codes = list(counties)
    everywhere = (
        [v for v in next(iter(missing.values())) if all(v in missing.get(c, ()) for c in codes)]
        if codes and len(missing) == len(codes)
        else []
    )
    rest = {
        code: [v for v in variables if v not in everywhere] for code, variables in missing.items()
    }
    return everywhere, {c: v for c, v in rest.items() if v}


@dataclass
class DepartmentStatus:
    """What one supplying department has sent for a data year, and what is still missing."""

    department: str
    variables: list[str]
    submissions: list[tuple[int, str, datetime, str]] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)  # region code → variables
    refused: list[Attempt] = field(default_factory=list)  # rejected and draft, newest first

    @property
    def submitted(self) -> bool:
        return bool(self.submissions)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class StatusReport:
    """:func:`status`: per department, its current submissions and the missing county × variable
    cells; for counties, which have not sent a self-assessment."""

    evaluation_year: int
    data_year: int
    departments: list[DepartmentStatus]
    no_self_assessment: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    refused_other: list[Attempt] = field(default_factory=list)  # no department could be read

    @property
    def complete(self) -> bool:
        return all(d.complete for d in self.departments) and not self.no_self_assessment

    def render(self, lang: str = "zh", *, all_attempts: bool = False) -> str:
        """The status as text; refused attempts are counted and the latest
        :data:`SHOWN_ATTEMPTS` listed (every one with ``all_attempts``)."""
        en = lang == "en"
        zone = timezone.get_current_timezone_name()
        lines = [
            f"Evaluation year {self.evaluation_year} (data year {self.data_year}; times: {zone})"
            if en
            else f"评价年度 {self.evaluation_year}（数据年度 {self.data_year}；时间：{zone}）"
        ]
        for d in self.departments:
            n_cells = sum(len(v) for v in d.missing.values())
            if not d.submitted:
                state = "not submitted" if en else "未报送"
            elif d.complete:
                state = "complete" if en else "已报送，数据齐全"
            else:
                state = (
                    f"submitted, {n_cells} value(s) missing"
                    if en
                    else f"已报送，缺 {n_cells} 项数据"
                )
            lines.append(f"\n{d.department}: {state}")
            for sid, file_name, at, by in d.submissions:
                lines.append(f"  #{sid} {file_name} {_local(at)} {by}".rstrip())
            if d.submitted and d.missing:
                everywhere, rest = missing_summary(d.missing, self.names)
                if everywhere:
                    n = len(self.names)
                    label = f"all {n} counties" if en else f"全部 {n} 个县（市、区）"
                    lines.append(f"  {label}: {', '.join(everywhere)}")
                for code, variables in rest.items():
                    lines.append(f"  {self.names.get(code, code)}: {', '.join(variables)}")
            lines += _attempt_lines(d.refused, en, all_attempts)
        if self.refused_other:
            lines.append(
                "\nRefused files whose department could not be read:"
                if en
                else "\n无法识别报送单位的未通过文件："
            )
            lines += _attempt_lines(self.refused_other, en, all_attempts)
        if self.no_self_assessment:
            names = "、".join(self.names.get(c, c) for c in self.no_self_assessment)
            lines.append(
                f"\nNo self-assessment from: {names}" if en else f"\n未提交自评的县：{names}"
            )
        return "\n".join(lines)


def _attempt_lines(attempts: list[Attempt], en: bool, every: bool) -> list[str]:
    """Refused attempts collapsed: a count by status and the latest few (never deleted)."""
    if not attempts:
        return []
    rejected = sum(a.status == REJECTED for a in attempts)
    drafts = len(attempts) - rejected
    if en:
        head = f"  refused attempts: {len(attempts)} ({rejected} rejected, {drafts} draft)"
    else:
        head = f"  未通过的提交 {len(attempts)} 次（被拒绝 {rejected}，待确认警告 {drafts}）"
    shown = attempts if every else attempts[:SHOWN_ATTEMPTS]
    out = [head]
    for a in shown:
        state = a.status if en else ("被拒绝" if a.status == REJECTED else "待确认")
        out.append(f"    #{a.id} {a.file_name} {_local(a.at)} {a.by} [{state}]".rstrip())
    if len(shown) < len(attempts):
        more = len(attempts) - len(shown)
        out.append(
            f"    … {more} earlier (all: --all-attempts)"
            if en
            else f"    …… 另有 {more} 次较早的（全部列出：--all-attempts）"
        )
    return out


def refused_attempts(
    data_year: int, moment: datetime | None = None, *, base: QuerySet[Submission] | None = None
) -> dict[str, list[Attempt]]:
    """Rejected and draft submissions of ``data_year`` (made by ``moment``), newest first, by
    supplying department (county self-assessments and expert sheets under ``县``; ``""`` when
    the file's department could not be read); of ``base`` only when given (one province's)."""
    qs = (Submission.objects if base is None else base).filter(
        status__in=REFUSED, data_year=data_year
    )
    if moment is not None:
        qs = qs.filter(created_at__lte=moment)
    out: dict[str, list[Attempt]] = {}
    rows = qs.order_by("-created_at", "-id").values_list(
        "id", "file_name", "created_at", "submitted_by", "status", "department", "kind"
    )
    for sid, name, at, by, state, dept, kind in rows:
        key = dept or (COUNTY_DEPARTMENT if kind in ("county", "expert") else "")
        out.setdefault(key, []).append(Attempt(sid, name, at, by, state))
    return out


def status(
    year: int,
    framework: Framework,
    registry: RegionRegistry,
    moment: datetime | None = None,
) -> StatusReport:
    """Which departments and counties have not submitted for evaluation year ``year`` (data year
    ``year − data_lag``), and which county × variable values are still missing (no current
    reported value; a rubric item counts as present when any expert scored it).

    A department has submitted when some current value of one of its variables exists.
    """
    data_year = year - framework.data_lag
    moment = _aware(moment)
    current = list(
        Observation.objects.filter(as_of_filter(moment), year=data_year)
        .order_by()
        .values_list("region_code", "variable", "status", "submission_id")
    )
    reported = {(r, v) for r, v, s, _ in current if s == "reported"}
    subs_by_var: dict[str, set[int]] = {}
    for _, v, _, sid in current:
        subs_by_var.setdefault(v, set()).add(sid)
    info = {
        s.pk: (s.pk, s.file_name, s.created_at, s.submitted_by)
        for s in Submission.objects.filter(
            pk__in={sid for ids in subs_by_var.values() for sid in ids}
        )
    }
    refused = refused_attempts(data_year, moment)
    out: list[DepartmentStatus] = []
    for dept in framework.departments:
        variables = [v.code for v in framework.variables if v.department == dept]
        if not variables:
            continue
        d = DepartmentStatus(dept, variables, refused=refused.pop(dept, []))
        sids = sorted({sid for v in variables for sid in subs_by_var.get(v, ())})
        d.submissions = [info[s] for s in sids]
        for code in registry.codes:
            gaps = [v for v in variables if (code, v) not in reported]
            if gaps:
                d.missing[code] = gaps
        out.append(d)
    no_claims: list[str] = []
    if any(v.kind == "rubric" for v in framework.variables):
        claimed = set(
            Claim.objects.filter(as_of_filter(moment), year=data_year).values_list(
                "region_code", flat=True
            )
        )
        no_claims = [c for c in registry.codes if c not in claimed]
    names = {r.code: r.name for r in registry}
    other = sorted(
        (a for attempts in refused.values() for a in attempts),
        key=lambda a: (a.at, a.id),
        reverse=True,
    )
    return StatusReport(year, data_year, out, no_claims, names, other)
