"""The audit log (审计日志): who changed what, from what to what, and when.

Every change the platform makes writes one :class:`~cimon.store.submissions.models.AuditEvent` in
the same transaction as the change: imports (``import.*``, written by the submissions service),
users and roles (``user.*``), warnings acknowledged, deadlines set, logins, logouts and
lockouts. ``detail["old"]`` and ``detail["new"]`` hold the values before and after where a value
changed. Admins browse it at ``/audit/`` and export it as CSV or Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from cimon.safe import append, defuse, save
from cimon.store.submissions.models import AuditEvent

COLUMNS = (
    ("at", "时间", "When"),
    ("user", "用户", "User"),
    ("action", "操作", "Action"),
    ("object", "对象", "Object"),
    ("old", "原值", "Old"),
    ("new", "新值", "New"),
    ("detail", "详情", "Detail"),
)


def record(
    user: Any,
    action: str,
    object_type: str,
    object_id: object,
    *,
    old: Any = None,
    new: Any = None,
    **detail: Any,
) -> AuditEvent:
    """Write one audit event; ``user`` is a ``User``, a user name, or None for the system."""
    account = user if getattr(user, "is_authenticated", False) else None
    name = user.get_username() if account is not None else str(user or "")
    data = dict(detail)
    if old is not None or new is not None:
        data["old"], data["new"] = old, new
    return AuditEvent.objects.create(
        at=timezone.now(),
        user=name,
        user_account=account,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=data,
    )


def events(
    *,
    q: str = "",
    action: str = "",
    user: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, filtered by free text (user, action, object), action prefix,
    user name and an inclusive date range (Asia/Shanghai days)."""
    qs = AuditEvent.objects.order_by("-at", "-id")
    if q:
        qs = qs.filter(
            Q(user__icontains=q)
            | Q(action__icontains=q)
            | Q(object_type__icontains=q)
            | Q(object_id=q)
        )
    if action:
        qs = qs.filter(action__startswith=action)
    if user:
        qs = qs.filter(user=user)
    tz = timezone.get_current_timezone()
    if since is not None:
        qs = qs.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until is not None:
        qs = qs.filter(at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return qs


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def rows(qs: Iterable[AuditEvent]) -> Iterable[list[str]]:
    """One list of strings per event, in :data:`COLUMNS` order."""
    for e in qs:
        detail = {k: v for k, v in e.detail.items() if k not in ("old", "new")}
        yield [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.user,
            e.action,
            f"{e.object_type}#{e.object_id}",
            _fmt(e.detail.get("old")),
            _fmt(e.detail.get("new")),
            _fmt(detail) if detail else "",
        ]


def header(lang: str) -> list[str]:
    return [c[2] if lang == "en" else c[1] for c in COLUMNS]


def to_csv(qs: Iterable[AuditEvent], lang: str = "zh") -> bytes:
    """CSV in UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header(lang))
    for row in rows(qs):
        w.writerow([defuse(c) for c in row])
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(qs: Iterable[AuditEvent], lang: str = "zh") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Audit log" if lang == "en" else "审计日志"
    append(ws, header(lang))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows(qs):
        append(ws, row)  # text stays text: a file or user name is never a formula
    for letter, width in zip("ABCDEFG", (20, 14, 22, 20, 24, 24, 60), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    save(wb, buf)
    return buf.getvalue()
