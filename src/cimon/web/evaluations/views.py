"""Pages of the evaluation workflow (administrators) and of published results (every role).
Thin: the workflow is :mod:`.services`; who may see what is :mod:`cimon.web.accounts.policy`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cimon.errors import CimonError
from cimon.store.evaluations.models import Evaluation, Objection, Publication
from cimon.store.national.hosting import publication_province, scoped, viewer_province
from cimon.store.platform import platform_registry
from cimon.web.accounts import policy
from cimon.web.evaluations import services as wf
from cimon.web.evaluations.forms import (
    HandleForm,
    NoticeForm,
    ObjectionForm,
    PublishForm,
    RunForm,
)
from cimon.web.i18n import lang, tr


def _evaluation(request: HttpRequest, pk: int) -> Evaluation:
    ev = Evaluation.objects.filter(pk=pk).first()
    if ev is None or not policy.can_view_evaluation(request.user, ev):
        raise Http404
    return ev


def _form_errors(request: HttpRequest, form: Any) -> None:
    messages.error(
        request,
        tr("未保存：", "Not saved: ")
        + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()),
    )


def _step(request: HttpRequest, pk: int, fn: Any) -> HttpResponse:
    """Run one workflow step; a refused step shows its message on the evaluation page."""
    try:
        fn()
    except CimonError as exc:
        messages.error(request, exc.render(lang()))
    return redirect("evaluations:detail", pk=pk)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not policy.can_run_evaluations(request.user):
        raise PermissionDenied
    return render(
        request,
        "evaluations/index.html",
        {
            "evaluations": policy.visible_evaluations(request.user).defer("results", "log")[:100],
            "publications": scoped(
                request.user,
                Publication.objects.defer("results", "robustness"),
                policy.PUBLICATION_PROVINCE,
            ).order_by("-evaluation_year", "-version")[:50],
            # several hosted provinces: the account's province's data (#20)
            "year": wf.default_year(viewer_province(request.user) or None),
        },
    )


@login_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    if not policy.can_run_evaluations(request.user):
        raise PermissionDenied
    form = RunForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("evaluations:index")
    try:  # in the account's province on a multi-province instance (#20)
        ev = wf.start(request.user, form.cleaned_data["year"])  # queued: the worker runs it
    except CimonError as exc:  # several provinces hosted and the account has none
        messages.error(request, exc.render(lang()))
        return redirect("evaluations:index")
    return redirect("evaluations:detail", pk=ev.pk)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    ev = _evaluation(request, pk)
    today = timezone.localdate()
    province = publication_province(ev)
    reg = platform_registry(province or None)  # the evaluation's province's counties (#20)
    return render(
        request,
        "evaluations/detail.html",
        {
            "ev": ev,
            "decimals": wf.score_decimals(ev.framework_id),
            "objections": ev.objections.all(),
            "current": wf.current_publication(ev.evaluation_year, province),
            "today": today,
            "default_end": wf.default_notice_end(today),
            "notice_days": wf.notice_days(),
            "counties": [(c, reg[c].name, reg[c].city) for c in reg.codes],
            "county_names": {c: reg[c].name for c in reg.codes},
        },
    )


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress box alone (htmx polls it every second while the run is going)."""
    ev = _evaluation(request, pk)
    return render(request, "evaluations/_progress.html", {"ev": ev})


@login_required
@require_POST
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    ev = _evaluation(request, pk)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("evaluations:detail", pk=pk)
    d = form.cleaned_data
    return _step(
        request,
        pk,
        lambda: wf.put_on_notice(
            request.user, ev, d["start"], d["end"], override_reason=d["override_reason"]
        ),
    )


@login_required
@require_POST
def objection(request: HttpRequest, pk: int) -> HttpResponse:
    ev = _evaluation(request, pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("evaluations:detail", pk=pk)
    d = form.cleaned_data
    return _step(
        request,
        pk,
        lambda: wf.record_objection(
            request.user,
            ev,
            raised_by=d["raised_by"],
            content=d["content"],
            region_code=d["region_code"],
            received_on=d["received_on"],
        ),
    )


@login_required
@require_POST
def handle(request: HttpRequest, pk: int) -> HttpResponse:
    obj = Objection.objects.select_related("evaluation").filter(pk=pk).first()
    if obj is None or not policy.can_view_evaluation(request.user, obj.evaluation):
        raise Http404
    form = HandleForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("evaluations:detail", pk=obj.evaluation_id)
    d = form.cleaned_data
    return _step(
        request,
        obj.evaluation_id,
        lambda: wf.handle_objection(request.user, obj, d["decision"], d["response"]),
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish after confirmation: the form's first post shows what will be published and what
    it will be compared with for good; the confirmation page's post publishes."""
    ev = _evaluation(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("evaluations:detail", pk=pk)
    d = form.cleaned_data
    if not d["confirmed"]:
        try:
            preview = wf.publish_preview(
                request.user, ev, d["reason"], document_number=d["document_number"]
            )
        except CimonError as exc:
            messages.error(request, exc.render(lang()))
            return redirect("evaluations:detail", pk=pk)
        return render(
            request,
            "evaluations/confirm_publish.html",
            {
                "ev": ev,
                "reason": d["reason"],
                "issue_date": d["issue_date"],
                "document_number": d["document_number"],
                **preview,
            },
        )
    return _step(
        request,
        pk,
        lambda: wf.publish(
            request.user,
            ev,
            d["reason"],
            issue_date=d["issue_date"],
            document_number=d["document_number"],
        ),
    )


@login_required
@require_GET
def results(request: HttpRequest, year: int) -> HttpResponse:
    """Published results of a year: the current version for every role; an older version
    (``?version=N``) for administrators only. Unpublished years do not exist here."""
    wanted = request.GET.get("version", "")
    pub = wf.visible_publication(request.user, year, int(wanted) if wanted.isdigit() else None)
    if pub is None:
        raise Http404
    pubs = policy.visible_publications(request.user).filter(evaluation_year=year)
    versions = list(pubs.order_by("version"))
    return render(
        request,
        "evaluations/results.html",
        {
            "pub": pub,
            "versions": versions,
            "year": year,
            "decimals": wf.score_decimals(pub.evaluation.framework_id),
        },
    )
