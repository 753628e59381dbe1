"""Programme pages: thin views over :mod:`cimon.store.programmes`; who may do what is
:mod:`cimon.web.accounts.policy`'s."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cimon.analysis.errors import TargetError
from cimon.safe import safe_filename
from cimon.store.national.hosting import hosted, user_province
from cimon.store.programmes import services
from cimon.store.programmes.models import (
    ACCEPTANCE_STATUSES,
    LEVELS,
    MIDTERM_RESULTS,
    RESULTS,
    SITE_RESULTS,
    STATUSES,
    Batch,
)
from cimon.store.programmes.opinion import opinion_docx
from cimon.store.programmes.review_list import review_list_docx
from cimon.web.accounts import policy, policy_programmes
from cimon.web.i18n import tr
from cimon.web.programmes import steps

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def _visible(request: HttpRequest, pk: int) -> Any:
    if not policy_programmes.can_view_programmes(request.user):
        raise PermissionDenied
    return get_object_or_404(policy_programmes.visible_applications(request.user), pk=pk)


def _error(exc: Exception) -> str:
    args = exc.args
    if len(args) >= 2:
        return tr(str(args[0]), str(args[1]))
    # a number or date the form could not read (float(""), int("x"), a bad date): say which
    # fields to check rather than Python's words
    return tr(
        "请检查填写的年度、数值、评分和日期。", "Check the year, value, points and dates entered."
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The pipeline: applications by batch and stage (applied → designated → accepted)."""
    if not policy_programmes.can_view_programmes(request.user):
        raise PermissionDenied
    apps = list(
        policy_programmes.visible_applications(request.user).prefetch_related("acceptances")
    )
    return render(
        request,
        "programmes/index.html",
        {
            "batches": services.pipeline(apps),
            "statuses": STATUSES,
            "can_apply": policy_programmes.can_apply(request.user),
            "can_export": policy_programmes.can_export_programmes(request.user),
        },
    )


class ApplyForm(forms.Form):
    batch = forms.ModelChoiceField(queryset=Batch.objects.none())
    unit_level = forms.ChoiceField(choices=[(x, x) for x in LEVELS], initial="county")
    unit = forms.CharField(max_length=100, required=False)
    theme = forms.CharField(max_length=50)
    base_year = forms.IntegerField(min_value=2000, max_value=2100)
    budget_yuan = forms.IntegerField(min_value=0)
    targets = forms.CharField(widget=forms.Textarea)  # YAML: a list of targets
    tasks = forms.CharField(widget=forms.Textarea, required=False)  # 任务：单位、单位

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        today = timezone.localdate()
        self.fields["batch"].queryset = Batch.objects.filter(
            opens_on__lte=today, closes_on__gte=today
        ).select_related("programme")

    def clean_targets(self) -> list[dict[str, Any]]:
        try:
            data = yaml.safe_load(self.cleaned_data["targets"])
        except yaml.YAMLError as exc:
            raise forms.ValidationError(f"YAML: {exc}") from exc
        if not isinstance(data, list) or not all(isinstance(t, dict) for t in data):
            raise forms.ValidationError(
                tr("目标应为 YAML 列表，每项一个目标。", "Targets are a YAML list, one per target.")
            )
        return data

    def clean_tasks(self) -> list[dict[str, Any]]:
        out = []
        for line in self.cleaned_data.get("tasks", "").splitlines():
            task, _, units = line.replace("：", ":").partition(":")
            if task.strip():
                parts = units.replace("，", "、").replace(",", "、").split("、")
                out.append({"task": task.strip(), "units": [u.strip() for u in parts if u.strip()]})
        return out


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    """A county clerk's application: the batch, the unit, and the construction plan."""
    if not policy_programmes.can_apply(request.user):
        raise PermissionDenied
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        acct = policy.account(request.user)
        c = form.cleaned_data
        try:
            app = services.apply(
                request.user, c["batch"], acct.region_code if acct else "",
                unit=c["unit"].strip(), unit_level=c["unit_level"], theme=c["theme"].strip(),
                base_year=c["base_year"], targets=c["targets"], tasks=c["tasks"],
                budget_yuan=c["budget_yuan"],
            )  # fmt: skip
        except (services.ProgrammeError, TargetError) as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(
                request, tr("申报已保存为草稿。", "The application is saved as a draft.")
            )
            return redirect("programmes:application", pk=app.pk)
    return render(request, "programmes/apply.html", {"form": form})


@login_required
@require_GET
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """An application: its plan, each target's status computed from the stored progress, the
    scores, the eligibility decision, and the steps the user may take."""
    app = _visible(request, pk)
    return render(
        request,
        "programmes/application.html",
        {
            "app": app,
            "plan": app.plan(),
            "targets": services.target_statuses(app),
            "reports": app.progress.filter(superseded_at__isnull=True),
            "scores": app.scores.filter(superseded_at__isnull=True),
            "mean": services.mean_score(app),
            "acceptances": app.acceptances.prefetch_related("files", "reviews", "objections"),
            "midterm": app.midterms.filter(superseded_at__isnull=True).first(),
            "midterm_results": MIDTERM_RESULTS,
            "acceptance_statuses": ACCEPTANCE_STATUSES,
            "results": RESULTS,
            "site_results": SITE_RESULTS,
            "stage": services.stage(app),
            "status": STATUSES.get(app.status, (app.status, app.status)),
            "actions": policy_programmes.programme_actions(request.user, app),
        },
    )


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@login_required
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    """One workflow step (``action``); 403 for a step the user may not take, 400 for none."""
    app = _visible(request, pk)
    allowed = policy_programmes.programme_actions(request.user, app)
    if not allowed:
        raise PermissionDenied
    action, p = request.POST.get("action", ""), request.POST
    if action not in allowed:
        return HttpResponse(tr("未知或不允许的操作。", "Unknown or forbidden step."), status=400)
    u = request.user
    try:
        if action == "submit":
            services.submit(u, app)
        elif action == "eligibility":
            services.check_eligibility(u, app)
        elif action == "score":
            services.score(u, app, float(p.get("points", "")), p.get("comment", ""))
        elif action == "review":
            services.finish_review(u, app)
        elif action == "notice":
            services.put_on_notice(u, [app], _date(p.get("start", "")), _date(p.get("end", "")))
        elif action in ("designate", "reject"):
            services.decide(u, app, action == "designate")
        elif action in steps.STEPS:
            steps.run(action, request, app)
        elif action == "progress":
            f = request.FILES.get("evidence")
            if f is not None and f.size > MAX_EVIDENCE_BYTES:
                raise services.ProgrammeError("佐证文件过大。", "The evidence file is too large.")
            value = p.get("value", "").strip()
            services.report_progress(
                u, app, int(p.get("year", "")), p.get("target", ""),
                float(value) if value else None, p.get("narrative", ""),
                f.name if f else "", f.read() if f else None,
            )  # fmt: skip
    except (services.ProgrammeError, ValueError) as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, tr("已保存。", "Saved."))
    return redirect("programmes:application", pk=app.pk)


@login_required
@require_GET
def review_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """A batch's review list as a Word document (公文 style)."""
    if not policy_programmes.can_export_programmes(request.user):
        raise PermissionDenied
    batch = get_object_or_404(Batch.objects.select_related("programme"), pk=pk)
    mine = policy_programmes.visible_applications(request.user).filter(batch=batch)
    if not mine.exists():  # none, or only another province's (#20)
        raise Http404
    label = "模拟数据" if mine.filter(label="模拟数据").exists() else ""
    name = safe_filename(f"{batch.year}-{batch.programme.code}-review.docx")
    resp = HttpResponse(
        review_list_docx(batch, label, (user_province(request.user) or "") if hosted() else ""),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def opinion(request: HttpRequest, pk: int) -> HttpResponse:
    """The acceptance opinion (验收意见) of the application's latest acceptance, in Word; for
    whoever sees the application; 404 without an acceptance."""
    app = _visible(request, pk)
    acc = app.acceptances.order_by("-created_at", "-id").first()
    if acc is None:
        raise Http404
    resp = HttpResponse(opinion_docx(acc, acc.label), content_type=DOCX)
    name = safe_filename(f"acceptance-{app.pk}.docx")
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@login_required
@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    """The province's view of all plans it may see: each application past review with its
    stage (designated / mid-term / accepted), the mid-term result, the latest acceptance and
    the count of its targets per status."""
    if not policy_programmes.can_view_programmes(request.user):
        raise PermissionDenied
    apps = policy_programmes.visible_applications(request.user).exclude(status="draft")
    rows = [
        {"app": a, "stage": services.stage(a), "midterm": a.midterms.filter(superseded_at__isnull=True).first(),
         "acceptance": a.acceptances.order_by("-created_at", "-id").first(),
         "counts": services.status_counts(a) if a.status == "designated" else {}}
        for a in apps.prefetch_related("acceptances", "midterms")[:500]
    ]  # fmt: skip
    return render(
        request,
        "programmes/plans.html",
        {"rows": rows, "statuses": STATUSES, "midterm_results": MIDTERM_RESULTS,
         "acceptance_statuses": ACCEPTANCE_STATUSES, "results": RESULTS},
    )  # fmt: skip
