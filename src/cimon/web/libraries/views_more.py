"""Library pages added with the list imports (#18): uploading a list of needs, achievements or
contracts; the talent library; feedback on a recommendation and marking a match a completed
transfer project. Thin views over :mod:`cimon.store.libraries` (imports, talent, feedback,
transfer); who may do what is :mod:`cimon.web.accounts.policy`'s."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cimon.errors import CimonError
from cimon.intake.library_lists import KINDS, LIST_LIMITS
from cimon.intake.report import ValidationReport
from cimon.store.libraries import talent
from cimon.store.libraries.feedback import record_feedback
from cimon.store.libraries.imports import import_list
from cimon.store.libraries.models import Match, Need
from cimon.store.libraries.models_talent import ImportAttempt, TalentProfile
from cimon.store.libraries.transfer import mark_transfer_project
from cimon.store.national.hosting import in_public_province, public_choices, public_province
from cimon.store.platform import platform_registry
from cimon.web.accounts import policy_libraries
from cimon.web.i18n import lang, tr


class ImportForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, k) for k in KINDS])
    file = forms.FileField()


class TalentForm(forms.Form):
    name = forms.CharField(max_length=100)
    expertise = forms.CharField(max_length=4000)
    discipline = forms.CharField(max_length=8, required=False)
    institution = forms.CharField(max_length=255, required=False)
    title = forms.CharField(max_length=64, required=False)
    availability = forms.CharField(max_length=255, required=False)
    region_code = forms.CharField(max_length=12, required=False)
    contact = forms.CharField(max_length=255, required=False)


def _names() -> dict[str, str]:
    return {r.code: r.name for r in platform_registry()}


def _report_lines(attempt: ImportAttempt) -> list[str]:
    report = ValidationReport.from_json(json.dumps(attempt.report, ensure_ascii=False))
    return [i.render(lang()) for i in report]


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """GET: the upload form and the recent attempts the user may see; POST: import a list (all
    or nothing) and come back with the outcome."""
    user = request.user
    if not policy_libraries.can_import_library(user):
        raise PermissionDenied
    regions = policy_libraries.library_import_regions(user)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return HttpResponse(tr("请选择名单类型和文件。", "Choose the kind of list and a file."),
                                status=400)  # fmt: skip
        f = form.cleaned_data["file"]
        if f.size > LIST_LIMITS.total_bytes:
            messages.error(request, tr("文件过大。", "The file is too large."))
            return redirect("libraries:import")
        attempt, read = import_list(form.cleaned_data["kind"], f.read(), f.name, user,
                                    regions=regions)  # fmt: skip
        if read.ok:
            messages.success(request, tr(f"导入 #{attempt.pk}：写入 {len(attempt.created)} 条记录。",
                                         f"Import #{attempt.pk}: {len(attempt.created)} records written."))  # fmt: skip
        else:
            messages.error(request, tr(f"导入 #{attempt.pk} 已拒绝：未写入任何记录，错误见下。",
                                       f"Import #{attempt.pk} refused: nothing written; see the errors below."))  # fmt: skip
        return redirect("libraries:import")
    attempts = policy_libraries.visible_import_attempts(user)
    ctx = {
        "kinds": [(k, zh, en) for k, (zh, en) in KINDS.items()],
        "kind_names": {k: tr(zh, en) for k, (zh, en) in KINDS.items()},
        "attempts": [(a, _report_lines(a)[:50]) for a in attempts.order_by("-at", "-id")[:20]],
    }
    return render(request, "libraries/import.html", ctx)


@require_http_methods(["GET"])
def talent_list(request: HttpRequest) -> HttpResponse:
    """The published talent profiles, for everyone: never the contact. A user with a role also
    sees their own profiles and the form to post one."""
    province = public_province(request.GET.get("province"))  # several hosted (#20)
    listed = in_public_province(
        policy_libraries.visible_talent(request.user), province,
        "owner__province_member__province", by_code=False,
    )  # fmt: skip
    published = [p.current for p in listed[:300]]
    user = request.user
    own = (TalentProfile.objects.filter(owner=user) if getattr(user, "is_authenticated", False)
           else TalentProfile.objects.none())  # fmt: skip
    ctx = {
        "profiles": [talent.public_fields(v) | {"pk": v.profile_id} for v in published],
        "own": [(p, p.current) for p in own],
        "can_post": policy_libraries.can_post_talent(user),
        "names": _names(),
        "provinces": public_choices(),
        "province": province or "",
    }
    return render(request, "libraries/talent.html", ctx)


@login_required
@require_POST
def talent_new(request: HttpRequest) -> HttpResponse:
    if not policy_libraries.can_post_talent(request.user):
        raise PermissionDenied
    form = TalentForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            tr("请填写姓名和专长。", "Fill in the name and the expertise."), status=400
        )
    data = form.cleaned_data
    try:
        talent.create_talent(request.user, data.pop("name"), data.pop("expertise"), **data)
    except CimonError as exc:
        messages.error(request, exc.render(lang()))
    return redirect("libraries:talent")


@login_required
@require_POST
def talent_publish(request: HttpRequest, pk: int) -> HttpResponse:
    profile = TalentProfile.objects.filter(pk=pk).first()
    if profile is None or not policy_libraries.can_publish_talent(request.user, profile):
        raise Http404
    try:
        talent.publish_talent(profile, request.user)
    except CimonError as exc:
        messages.error(request, exc.render(lang()))
    return redirect("libraries:talent")


def _match(request: HttpRequest, pk: int) -> Match:
    m = Match.objects.select_related("need").filter(pk=pk).first()
    if m is None or not policy_libraries.can_view_need(request.user, m.need):
        raise Http404
    if not policy_libraries.can_judge_match(request.user, m.need):
        raise PermissionDenied
    return m


@login_required
@require_POST
def match_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or reject a recommendation (a rejection with its reason)."""
    m = _match(request, pk)
    verdict = request.POST.get("verdict", "")
    if verdict not in ("accept", "reject"):
        return HttpResponse(tr("请选择采纳或不采纳。", "Accept or reject."), status=400)
    try:
        record_feedback(m, request.user, verdict == "accept", request.POST.get("reason", "")[:2000])
    except CimonError as exc:
        messages.error(request, exc.render(lang()))
    return redirect("libraries:need", pk=m.need_id)


@login_required
@require_POST
def match_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a match a completed transfer project (I18)."""
    m = _match(request, pk)
    try:
        on = dt.date.fromisoformat(request.POST.get("completed_on", ""))
    except ValueError:
        return HttpResponse(tr("请填写完成日期。", "Give the completion date."), status=400)
    try:
        mark_transfer_project(m, request.user, on, request.POST.get("note", "")[:2000])
    except CimonError as exc:
        messages.error(request, exc.render(lang()))
    return redirect("libraries:need", pk=m.need_id)


def need_extras(user: Any, need: Need, matches: list[Match]) -> dict[str, Any]:
    """What the need's page adds: the latest verdict on each match, whether the user may judge,
    and the people recommended for the need (published needs only)."""
    for m in matches:
        m.latest_feedback = m.feedback.order_by("-at", "-id").first()
        m.transfer = getattr(m, "transfer_project", None)
    people = talent.recommend_talent(need, k=5) if need.status == "published" else []
    return {"can_judge": policy_libraries.can_judge_match(user, need), "people": people}
