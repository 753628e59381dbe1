"""The mid-term and acceptance steps of an application's page (#19): thin calls into
:mod:`cimon.store.programmes.acceptance`, on the application's latest acceptance."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from cimon.store.programmes import acceptance as A
from cimon.store.programmes.models import Acceptance, AcceptanceObjection, Application
from cimon.store.programmes.services import ProgrammeError

#: bound on the files of one self-summary, and on each (bytes)
MAX_FILES = 10
MAX_FILE_BYTES = A.MAX_FILE_BYTES

STEPS = {
    "accept", "midterm", "acceptance_review", "site_review", "acceptance_decide",
    "acceptance_notice", "objection", "handle_objection", "acceptance_publish",
}  # fmt: skip


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def latest(app: Application) -> Acceptance:
    acc = app.acceptances.order_by("-created_at", "-id").first()
    if acc is None:
        raise ProgrammeError(
            "尚无验收记录，请先提交自评总结。", "No acceptance yet; submit the self-summary first."
        )
    return acc


def _files(request: HttpRequest) -> list[tuple[str, bytes]]:
    files = request.FILES.getlist("files")
    if len(files) > MAX_FILES:
        raise ProgrammeError(
            f"自评材料最多 {MAX_FILES} 个文件。", f"At most {MAX_FILES} self-summary files."
        )
    out = []
    for f in files:
        if f.size is not None and f.size > MAX_FILE_BYTES:
            raise ProgrammeError(
                f"文件“{f.name}”过大（上限 {MAX_FILE_BYTES // 1024 // 1024} MB）。",
                f"File '{f.name}' is too large (limit {MAX_FILE_BYTES // 1024 // 1024} MB).",
            )
        out.append((str(f.name), f.read()))
    return out


def run(action: str, request: HttpRequest, app: Application) -> Any:
    """Take one mid-term or acceptance step; raises ProgrammeError / ValueError on refusal."""
    u, p = request.user, request.POST
    if action == "midterm":
        return A.midterm_review(
            u, app, int(p.get("year", "")), p.get("result", ""), p.get("opinion", "")
        )
    if action == "accept":
        return A.accept(u, app, p.get("summary", ""), _files(request))
    acc = latest(app)
    if action == "acceptance_review":
        return A.review(u, acc, float(p.get("points", "")), p.get("opinion", ""))
    if action == "site_review":
        return A.site_review(u, acc, p.get("result", ""), p.get("findings", ""))
    if action == "acceptance_decide":
        return A.decide(u, acc, p.get("result", ""), p.get("reasons", ""), p.get("opinion", ""))
    if action == "acceptance_notice":
        return A.put_on_notice(u, acc, _date(p.get("start", "")), _date(p.get("end", "")))
    if action == "objection":
        return A.object_to(u, acc, p.get("text", ""))
    if action == "handle_objection":
        obj = AcceptanceObjection.objects.filter(
            acceptance=acc, pk=int(p.get("objection", "0") or 0)
        ).first()
        if obj is None:
            raise ProgrammeError("没有该异议。", "No such objection.")
        return A.handle_objection(u, obj, p.get("decision") == "upheld", p.get("reply", ""))
    if action == "acceptance_publish":
        return A.publish(u, acc)
    raise ProgrammeError("未知的操作。", "Unknown step.")
