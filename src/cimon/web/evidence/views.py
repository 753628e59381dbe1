"""The pages of structured 创新管理 evidence: a county's items and uploads, the expert's queue
with the scoring guide beside each item, the return/answer thread, the admin's assignments with
declared conflicts, and a county's item scores after publication. Thin: the work is in
:mod:`cimon.store.evidence.services`; who may do what in :mod:`cimon.web.accounts.policy`."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cimon.safe import FileTooLarge, safe_filename
from cimon.store.accounts.models import EXPERT, ExpertAssignment
from cimon.store.evidence import services as ev
from cimon.store.evidence.guide import load_guide
from cimon.store.evidence.kinds import KINDS, summary
from cimon.store.evidence.models import Clarification, Conflict, Document, Item
from cimon.store.libraries.project_models import PROJECT_STATUSES
from cimon.store.libraries.projects import I21_VARIABLE, libraries_state
from cimon.store.national.hosting import viewer_province
from cimon.web.accounts import policy
from cimon.web.i18n import lang, tr
from cimon.web.uploads import sent_name


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    try:
        year = int(raw)
    except ValueError:
        return timezone.localdate().year - 1
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _item(request: HttpRequest, pk: int) -> Item:
    item = Item.objects.filter(pk=pk).first()
    if item is None or not policy.can_view_item(request.user, item):
        raise Http404
    return item


def _region_name(code: str) -> str:
    from cimon.store.platform import platform_registry

    try:
        return str(platform_registry()[code].name)
    except KeyError:
        return code


def _files(request: HttpRequest) -> list[tuple[str, bytes]]:
    """The uploaded files, each read up to the size limit (larger: refused, nothing kept)."""
    limit = ev.max_file_bytes()
    out = []
    for f in request.FILES.getlist("files"):
        if f.size > limit:
            raise FileTooLarge(f.size, limit)
        out.append((sent_name(f), b"".join(f.chunks())))
    return out


def _fail(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, FileTooLarge):
        mb = settings.CIMON_MAX_UPLOAD_MB
        messages.error(request, tr(f"文件超过 {mb} MB。", f"A file is larger than {mb} MB."))
    else:
        messages.error(request, exc.render(lang()))  # type: ignore[attr-defined]


def _lines(res: ev.ItemResult) -> list[dict[str, Any]]:
    """Per criterion of a scored item: the guide's wording (the reason), the combined points,
    the maximum and the experts' comments."""
    return [
        {
            "text": c.text(lang()),
            "points": res.per_criterion.get(c.id),
            "max": c.points,
            "comments": [cm[c.id] for cm in res.comments.values() if cm.get(c.id)],
        }
        for c in res.criteria
    ]


def _row(item: Item) -> dict[str, Any]:
    kind = KINDS[item.kind]
    return {
        "item": item,
        "kind": tr(kind.zh, kind.en),
        "summary": summary(kind, item.values, lang()),
        "county": _region_name(item.region_code),
        "open": ev.open_questions(item).exists(),
    }


def _scored(it: Item, guide: Any) -> dict[str, Any]:
    res = ev.item_result(it, guide)
    return {"res": res, "lines": _lines(res), "scored": bool(res.totals)}


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not policy.can_use_evidence(request.user):
        raise PermissionDenied
    year = _year(request)
    items = policy.visible_items(request.user).filter(year=year, superseded_at=None)
    rows = [_row(i) for i in items]
    role = policy.role(request.user)
    if role == EXPERT:  # the queue: unscored first
        scored = set(
            ev.Score.objects.filter(expert=request.user, superseded_at=None).values_list(
                "item_id", flat=True
            )
        )
        for r in rows:
            r["scored"] = r["item"].pk in scored
        rows.sort(key=lambda r: (r["scored"], r["item"].region_code, r["item"].variable))
    return render(
        request,
        "evidence/index.html",
        {
            "year": year,
            "rows": rows,
            "kinds": [(k.code, tr(k.zh, k.en)) for k in KINDS.values()],
            "can_enter": policy.can_submit_items(request.user),
            "is_expert": role == EXPERT,
            "deadline": ev.deadline(year),
            "open": ev.is_open(year),
            "published": ev.is_published(year, viewer_province(request.user) or ""),
        },
    )


def _fields(kind_code: str, values: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    kind = KINDS[kind_code]
    return [
        {
            "f": f,
            "label": tr(f.zh, f.en),
            "value": (values or {}).get(f.name, ""),
            "choices": [(c[0], tr(c[1], c[2])) for c in f.choices],
        }
        for f in kind.fields
    ]


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    if not policy.can_submit_items(request.user):
        raise PermissionDenied
    year = _year(request)
    kind = request.GET.get("kind") or request.POST.get("kind") or "meeting"
    if kind not in KINDS:
        raise Http404
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = {f.name: request.POST.get(f.name, "") for f in KINDS[kind].fields}
        region = policy.account(request.user).region_code  # type: ignore[union-attr]
        try:
            item = ev.submit_item(request.user, region, year, kind, values, _files(request))
        except (ev.EvidenceError, FileTooLarge) as exc:
            _fail(request, exc)
        else:
            messages.success(request, tr("材料已提交。", "Item submitted."))
            return redirect("evidence:item", item.pk)
    return render(
        request,
        "evidence/new.html",
        {
            "year": year,
            "kind": kind,
            "kind_name": tr(KINDS[kind].zh, KINDS[kind].en),
            "kinds": [(k.code, tr(k.zh, k.en)) for k in KINDS.values()],
            "fields": _fields(kind, values),
        },
    )


@login_required
@require_GET
def item(request: HttpRequest, pk: int) -> HttpResponse:
    it = _item(request, pk)
    guide = load_guide()
    current = Item.objects.filter(series=it.series, superseded_at=None).first()
    mine = {
        s.criterion: s
        for s in ev.Score.objects.filter(series=it.series, expert=request.user, superseded_at=None)
    }
    criteria = [
        {"c": c, "text": c.text(lang()), "mine": mine.get(c.id)} for c in guide.for_kind(it.kind)
    ]
    published = ev.is_published(it.year, it.region_code)
    return render(
        request,
        "evidence/item.html",
        {
            "it": it,
            "row": _row(it),
            "current": current,
            "fields": _fields(it.kind, it.values),
            "versions": Item.objects.filter(series=it.series).order_by("version"),
            "documents": ev.documents(it),
            "thread": Clarification.objects.filter(series=it.series),
            "guide": guide,
            "criteria": criteria,
            "can_score": policy.can_score_item(request.user, it) and it.superseded_at is None,
            "can_edit": policy.can_edit_item(request.user, it) and it.superseded_at is None,
            "open": ev.is_open(it.year),
            # I21 (mgmt_projects): the county's library records of the data year, computed
            "libs": libraries_state(it.region_code, it.year)
            if it.variable == I21_VARIABLE
            else None,
            "project_statuses": PROJECT_STATUSES,
            "result": _scored(it, guide)
            if policy.can_view_item_scores(request.user, it.region_code, published)
            else None,
        },
    )


@login_required
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    it = _item(request, pk)
    if not policy.can_edit_item(request.user, it):
        raise PermissionDenied
    values = {f.name: request.POST.get(f.name, "") for f in KINDS[it.kind].fields}
    try:
        new_item = ev.submit_item(
            request.user,
            it.region_code,
            it.year,
            it.kind,
            values,
            _files(request),
            series=it.series,
            note=request.POST.get("note", "").strip(),
        )
    except (ev.EvidenceError, FileTooLarge) as exc:
        _fail(request, exc)
        return redirect("evidence:item", it.pk)
    messages.success(request, tr("已保存为新版本。", "Saved as a new version."))
    return redirect("evidence:item", new_item.pk)


@login_required
@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = Document.objects.filter(pk=pk).select_related("item").first()
    if doc is None or not policy.can_view_item(request.user, doc.item):
        raise Http404
    return HttpResponse(
        bytes(doc.content),
        content_type="application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(safe_filename(doc.name), safe='')}",
            "X-Content-Type-Options": "nosniff",
        },
    )


@login_required
@require_POST
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    it = _item(request, pk)
    if not policy.can_score_item(request.user, it):
        raise PermissionDenied
    try:
        ev.ask(request.user, it, request.POST.get("question", ""))
    except ev.EvidenceError as exc:
        _fail(request, exc)
    else:
        messages.success(
            request, tr("已退回县里说明。", "Returned to the county for clarification.")
        )
    return redirect("evidence:item", it.pk)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    c = Clarification.objects.filter(pk=pk).select_related("item").first()
    if c is None or not policy.can_view_item(request.user, c.item):
        raise Http404
    if not policy.can_edit_item(request.user, c.item):
        raise PermissionDenied
    try:
        files = _files(request)
        ev.answer(request.user, c, request.POST.get("answer", ""), files=files)
    except (ev.EvidenceError, FileTooLarge) as exc:
        _fail(request, exc)
    else:
        messages.success(request, tr("答复已提交。", "Answer sent."))
    current = Item.objects.filter(series=c.series, superseded_at=None).first()
    return redirect("evidence:item", (current or c.item).pk)


@login_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    it = _item(request, pk)
    if not policy.can_score_item(request.user, it):
        raise PermissionDenied
    guide = load_guide()
    criteria = guide.for_kind(it.kind)
    points = {c.id: request.POST.get(f"points_{c.id}", "") for c in criteria}
    comments = {c.id: request.POST.get(f"comment_{c.id}", "") for c in criteria}
    try:
        ev.score(request.user, it, points, comments, guide)
    except ev.EvidenceError as exc:
        _fail(request, exc)
    else:
        messages.success(request, tr("评分已保存。", "Scores saved."))
    return redirect("evidence:item", it.pk)


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest) -> HttpResponse:
    if not policy.can_manage(request.user):
        raise PermissionDenied
    from cimon.store.platform import platform_registry

    registry = platform_registry()
    experts = get_user_model().objects.filter(account__role=EXPERT).order_by("username")
    if request.method == "POST":
        expert = experts.filter(pk=request.POST.get("expert") or 0).first()
        code = request.POST.get("region", "")
        if expert is None or code not in registry.codes:
            messages.error(
                request, tr("请选择专家和县（市、区）。", "Choose an expert and a county.")
            )
        else:
            try:
                if request.POST.get("action") == "conflict":
                    ev.declare_conflict(request.user, expert, code, request.POST.get("reason", ""))
                    messages.success(request, tr("已记录关联关系。", "Conflict recorded."))
                else:
                    ev.assign(request.user, expert, code)
                    messages.success(request, tr("已分配。", "Assigned."))
            except ev.EvidenceError as exc:
                _fail(request, exc)
        return redirect("evidence:assign")
    return render(
        request,
        "evidence/assign.html",
        {
            "experts": experts,
            "counties": [(c, registry[c].name) for c in registry.codes],
            "assignments": ExpertAssignment.objects.select_related("expert"),
            "conflicts": Conflict.objects.select_related("expert"),
            "names": {c: registry[c].name for c in registry.codes},
        },
    )


@login_required
@require_GET
def results(request: HttpRequest, year: int) -> HttpResponse:
    acct = policy.account(request.user)
    if acct is None:
        raise PermissionDenied
    region = request.GET.get("region", "") if policy.is_admin(request.user) else acct.region_code
    published = ev.is_published(year, region)
    if not region or not policy.can_view_item_scores(request.user, region, published):
        raise Http404
    guide = load_guide()
    rows = [{**_row(i), "result": _scored(i, guide)} for i in ev.current_items(region, year)]
    return render(
        request,
        "evidence/results.html",
        {"year": year, "rows": rows, "county": _region_name(region), "lang": lang()},
    )
