"""Library pages: thin views over :mod:`cimon.store.libraries.services`; who may do what is
:mod:`cimon.web.accounts.policy`'s. Objects a user may not see answer 404 (ids tell nothing)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cimon.errors import CimonError
from cimon.matching.records import TRANSFER_MODES
from cimon.store.libraries import services
from cimon.store.libraries.models import (
    PUBLISHED,
    STAGE_ORDER,
    STAGES,
    SUBMITTED,
    Achievement,
    Match,
    Need,
)
from cimon.store.national.hosting import in_public_province, public_choices, public_province
from cimon.store.platform import platform_registry
from cimon.web.accounts import policy, policy_libraries
from cimon.web.accounts.policy_calls import can_manage_call
from cimon.web.i18n import lang, tr

#: the province of a record's owner (#20)
OWNER = "owner__province_member__province"


class NeedForm(forms.Form):
    problem = forms.CharField(max_length=4000)
    chain = forms.CharField(max_length=64, required=False)
    industry = forms.CharField(max_length=8, required=False)
    budget = forms.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=0)
    deadline = forms.DateField(required=False)
    county = forms.CharField(max_length=12, required=False)  # administrators choose


class AchievementForm(forms.Form):
    title = forms.CharField(max_length=255)
    abstract = forms.CharField(max_length=8000, required=False)
    discipline = forms.CharField(max_length=8, required=False)
    trl = forms.IntegerField(min_value=1, max_value=9, required=False)
    mode = forms.ChoiceField(choices=[("", "")] + [(m, m) for m in TRANSFER_MODES], required=False)
    price_low = forms.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=0)
    price_high = forms.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=0)
    holder = forms.CharField(max_length=255, required=False)
    region_code = forms.CharField(max_length=12, required=False)


class ContractForm(forms.Form):
    number = forms.CharField(max_length=64)
    amount = forms.IntegerField(min_value=0)
    signed_on = forms.DateField()
    county = forms.CharField(max_length=12, required=False)
    match = forms.IntegerField(required=False)


def _names() -> dict[str, str]:
    return {r.code: r.name for r in platform_registry()}


def _need(request: HttpRequest, pk: int) -> Need:
    need = Need.objects.filter(pk=pk).first()
    if need is None or not policy_libraries.can_view_need(request.user, need):
        raise Http404
    return need


def _role(request: HttpRequest) -> None:
    if policy.role(request.user) is None:
        raise PermissionDenied


def _fail(request: HttpRequest, exc: CimonError) -> None:
    messages.error(request, exc.render(lang()))


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    """Published needs and achievements, for everyone (no login): no owner, no contact."""
    province = public_province(request.GET.get("province"))  # several hosted (#20)
    needs = in_public_province(policy_libraries.visible_needs(request.user), province)
    needs = needs.prefetch_related("versions")[:200]
    items = in_public_province(
        policy_libraries.visible_achievements(request.user), province, OWNER, by_code=False
    ).prefetch_related("versions")[:200]
    ctx = {
        "provinces": public_choices(),
        "province": province or "",
        "needs": [(n, max(n.versions.all(), key=lambda v: v.number)) for n in needs],
        "items": [max(a.versions.all(), key=lambda v: v.number) for a in items],
        "names": _names(),
    }
    return render(request, "libraries/public.html", ctx)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    _role(request)
    user = request.user
    ctx = {
        "needs": Need.objects.filter(owner=user).prefetch_related("versions"),
        "items": Achievement.objects.filter(owner=user).prefetch_related("versions"),
        "can_post_need": policy_libraries.can_post_need(user),
        "can_review": policy_libraries.can_review_needs(user),
        "can_contract": policy_libraries.can_register_contract(user),
        "modes": TRANSFER_MODES,
        "names": _names(),
        "is_admin": policy.is_admin(user),
    }
    return render(request, "libraries/mine.html", ctx)


@login_required
@require_POST
def need_new(request: HttpRequest) -> HttpResponse:
    if not policy_libraries.can_post_need(request.user):
        raise PermissionDenied
    form = NeedForm(request.POST)
    if not form.is_valid():
        return HttpResponse(tr("表单有误。", "The form has errors."), status=400)
    data = dict(form.cleaned_data)
    acct = policy.account(request.user)
    chosen = data.pop("county")
    county = chosen if policy.is_admin(request.user) else acct.region_code  # type: ignore[union-attr]
    if county not in _names() or not policy_libraries.can_post_need(request.user, county):
        return HttpResponse(tr("请选择县。", "Choose a county."), status=400)
    try:
        need = services.create_need(request.user, county, **data)
    except CimonError as exc:
        _fail(request, exc)
        return redirect("libraries:mine")
    return redirect("libraries:need", pk=need.pk)


@login_required
@require_GET
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    user = request.user
    matches = list(need.matches.select_related("achievement_version").order_by("rank", "id"))
    for m in matches:
        at = STAGE_ORDER.index(m.stage)
        # 技术合同登记 is reached by registering the contract, not by a stage button
        m.next_stage = STAGE_ORDER[at + 1] if at + 1 < len(STAGE_ORDER) - 1 else ""
    ctx = {
        "need": need,
        "version": need.current,
        "versions": need.versions.order_by("-number"),
        "matches": matches,
        "stages": STAGES,
        "is_owner": policy_libraries.is_need_owner(user, need),
        "can_review": policy_libraries.can_review_need(user, need) and need.status == SUBMITTED,
        "can_match": policy_libraries.can_work_match(user, need) and need.status == PUBLISHED,
        "can_contract": policy_libraries.can_register_contract(user, need.region_code),
        "can_project": need.status == PUBLISHED and can_manage_call(user, need.region_code),
        "names": _names(),
    }
    from cimon.web.libraries.views_more import need_extras

    ctx.update(need_extras(user, need, matches))
    return render(request, "libraries/need.html", ctx)


@login_required
@require_POST
def need_submit(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    if not policy_libraries.is_need_owner(request.user, need):
        raise PermissionDenied
    try:
        services.submit_need(need, request.user)
    except CimonError as exc:
        _fail(request, exc)
    return redirect("libraries:need", pk=pk)


@login_required
@require_POST
def need_review(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    if not policy_libraries.can_review_need(request.user, need):
        raise PermissionDenied
    decision, note = request.POST.get("decision", ""), request.POST.get("note", "")[:2000]
    try:
        if decision == "publish":
            services.publish_need(need, request.user, note)
        elif decision == "reject":
            services.reject_need(need, request.user, note)
        else:
            return HttpResponse(tr("请选择发布或退回。", "Publish or reject."), status=400)
    except CimonError as exc:
        _fail(request, exc)
    return redirect("libraries:need", pk=pk)


@login_required
@require_POST
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    if not policy_libraries.can_work_match(request.user, need):
        raise PermissionDenied
    try:
        found = services.recommend(need, request.user)
        messages.success(request, tr(f"推荐 {len(found)} 项成果。", f"{len(found)} recommended."))
    except CimonError as exc:
        _fail(request, exc)
    return redirect("libraries:need", pk=pk)


@login_required
@require_POST
def match_advance(request: HttpRequest, pk: int) -> HttpResponse:
    match = Match.objects.select_related("need").filter(pk=pk).first()
    if match is None or not policy_libraries.can_view_need(request.user, match.need):
        raise Http404
    if not policy_libraries.can_work_match(request.user, match.need):
        raise PermissionDenied
    try:
        services.advance_match(match, request.user, request.POST.get("stage", ""))
    except CimonError as exc:
        _fail(request, exc)
    return redirect("libraries:need", pk=match.need_id)


@login_required
@require_POST
def achievement_new(request: HttpRequest) -> HttpResponse:
    if not policy_libraries.can_post_achievement(request.user):
        raise PermissionDenied
    form = AchievementForm(request.POST)
    if not form.is_valid():
        return HttpResponse(tr("表单有误。", "The form has errors."), status=400)
    data = dict(form.cleaned_data)
    try:
        services.create_achievement(request.user, data.pop("title"), **data)
    except CimonError as exc:
        _fail(request, exc)
    return redirect("libraries:mine")


@login_required
@require_POST
def achievement_publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = Achievement.objects.filter(pk=pk).first()
    if item is None or not policy_libraries.can_view_achievement(request.user, item):
        raise Http404
    if item.owner_id != request.user.pk and not policy.is_admin(request.user):
        raise PermissionDenied
    try:
        services.publish_achievement(item, request.user)
    except CimonError as exc:
        _fail(request, exc)
    return redirect("libraries:mine")


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    if not policy_libraries.can_review_needs(request.user):
        raise PermissionDenied
    needs = policy_libraries.needs_to_review(request.user).order_by("created_at", "id")[:500]
    ctx = {"needs": [(n, n.current) for n in needs], "names": _names()}
    return render(request, "libraries/review.html", ctx)


@login_required
def contracts(request: HttpRequest) -> HttpResponse:
    """The registered contracts of the user's county (all, for administrators); POST
    registers one."""
    user = request.user
    if not policy_libraries.can_register_contract(user):
        raise PermissionDenied
    if request.method == "POST":
        form = ContractForm(request.POST)
        if not form.is_valid():
            return HttpResponse(tr("表单有误。", "The form has errors."), status=400)
        d = form.cleaned_data
        acct = policy.account(user)
        county = d["county"] if policy.is_admin(user) else acct.region_code  # type: ignore[union-attr]
        match = None
        if d["match"]:
            match = Match.objects.select_related("need").filter(pk=d["match"]).first()
            if match is None or not policy_libraries.can_work_match(user, match.need):
                raise Http404
            county = match.need.region_code
        if county not in _names() or not policy_libraries.can_register_contract(user, county):
            return HttpResponse(tr("请选择县。", "Choose a county."), status=400)
        try:
            services.register_contract(
                user, d["number"], d["amount"], d["signed_on"], county, match=match
            )
            messages.success(request, tr("合同已登记。", "Contract registered."))
        except CimonError as exc:
            _fail(request, exc)
        return redirect("libraries:contracts")
    ctx = {
        "contracts": policy_libraries.visible_contracts(user)[:500],
        "names": _names(),
        "is_admin": policy.is_admin(user),
    }
    return render(request, "libraries/contracts.html", ctx)
