"""Uploaded plans and their targets (issue #19 item 2): the list of all plans, the upload form
(YAML or Excel, all-or-nothing with every bad cell listed), a plan's page (each target's
status with the rule that decided it, the reports and their history) and a responsible unit's
report. Thin views over :mod:`cimon.store.programmes.target_plans`; who may do what is
:mod:`cimon.web.accounts.policy_plans`'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cimon.analysis.targets import LEVELS
from cimon.store.programmes import target_plans as svc
from cimon.store.programmes.models import TargetPlan
from cimon.store.programmes.services import ProgrammeError
from cimon.web.accounts import policy_plans as pp
from cimon.web.i18n import is_english, tr


def _error(exc: Exception) -> str:
    a = exc.args
    return tr(str(a[0]), str(a[1])) if len(a) >= 2 else str(exc)


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """Every current plan with its level, area, units and the count of targets per status."""
    if not pp.can_view_target_plans(request.user):
        raise PermissionDenied
    rows = []
    for tp in (
        pp.visible_target_plans(request.user)
        .filter(superseded_at__isnull=True)
        .order_by("level", "ref")[:200]
    ):
        counts: dict[str, int] = {}
        for s in svc.statuses(tp):
            key = tr(s["label_zh"], s["label_en"])
            counts[key] = counts.get(key, 0) + 1
        rows.append({"plan": tp, "counts": counts})
    return render(
        request,
        "programmes/target_plans.html",
        {"rows": rows, "can_upload": pp.can_upload_target_plan(request.user)},
    )


class UploadForm(forms.Form):
    file = forms.FileField()
    level = forms.ChoiceField(choices=[("", "—")] + [(x, x) for x in LEVELS], required=False)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a plan (YAML or Excel): stored only when every target reads right; otherwise the
    page lists every issue with its sheet and cell (or item and field)."""
    if not pp.can_upload_target_plan(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    issues: list[str] = []
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            if f.size > svc.MAX_PLAN_BYTES:
                raise ProgrammeError(
                    f"方案文件超过 {svc.MAX_PLAN_BYTES // 2**20} MB，未读取。",
                    f"The plan is larger than {svc.MAX_PLAN_BYTES // 2**20} MB; not read.",
                )
            tp = svc.upload_plan(
                request.user, f.read(), f.name, form.cleaned_data["level"] or None,
                levels=pp.upload_levels(request.user),
                own_only=pp.upload_levels(request.user) is not None,
            )  # fmt: skip
        except svc.PlanRefused as exc:
            form.add_error(None, _error(exc))
            lang = "en" if is_english() else "zh"
            issues = [i.render(lang) for i in exc.read.report.errors[:200]]
        except ProgrammeError as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(
                request,
                tr(f"已导入方案 {tp.ref}（第 {tp.version} 版，{len(tp.targets)} 项目标）。",
                   f"Plan {tp.ref} imported (version {tp.version}, {len(tp.targets)} targets)."),
            )  # fmt: skip
            return redirect("programmes:target_plan", pk=tp.pk)
    return render(request, "programmes/target_plan_upload.html", {"form": form, "issues": issues})


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan: its targets with deadline, responsible units, status and deciding rule; the
    reports with their history; the report form for the targets the user may report."""
    if not pp.can_view_target_plans(request.user):
        raise PermissionDenied
    tp = get_object_or_404(TargetPlan, pk=pk)
    if not pp.can_view_target_plan(request.user, tp):
        raise Http404
    return render(
        request,
        "programmes/target_plan.html",
        {
            "plan": tp,
            "targets": svc.statuses(tp),
            "history": svc.history(tp),
            "versions": TargetPlan.objects.filter(ref=tp.ref).order_by("version"),
            "reportable": pp.reportable(request.user, tp) if tp.superseded_at is None else [],
        },
    )


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """A responsible unit's report of one target: 403 for a user who may report none of the
    plan's targets, 400 without a target it may report."""
    if not pp.can_view_target_plans(request.user):
        raise PermissionDenied
    tp = get_object_or_404(TargetPlan, pk=pk)
    if not pp.can_view_target_plan(request.user, tp):
        raise Http404
    mine = {t["code"]: t for t in pp.reportable(request.user, tp)}
    if not mine:
        raise PermissionDenied
    p = request.POST
    if p.get("target", "") not in mine:
        return HttpResponse(
            tr("请选择您负责报送的目标。", "Choose a target you report."), status=400
        )
    f: Any = request.FILES.get("evidence")
    try:
        if f is not None and f.size > svc.MAX_EVIDENCE_BYTES:
            raise ProgrammeError(
                "佐证文件超过 20 MB，请压缩或拆分。", "The evidence file is over 20 MB; split it."
            )
        value = p.get("value", "").strip()
        svc.report_target(
            request.user, tp, p["target"], int(p.get("year", "")),
            float(value) if value else None, narrative=p.get("narrative", ""),
            unit=p.get("unit", ""), reporter=p.get("reporter", "")[:100],
            file_name=f.name if f else "", content=f.read() if f else None,
        )  # fmt: skip
    except ValueError as exc:  # ProgrammeError, or a year or value that is not a number
        messages.error(
            request,
            _error(exc) if isinstance(exc, ProgrammeError)
            else tr("年度须为整数、数值须为数字。", "The year must be a whole number and the value a number."),
        )  # fmt: skip
    else:
        messages.success(request, tr("已报送。", "Reported."))
    return redirect("programmes:target_plan", pk=tp.pk)
