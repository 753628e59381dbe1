"""项目库 pages (issue #18, 需求项目化): thin views over :mod:`cimon.store.libraries.projects`.

The county clerk of a project's county and administrators make (from a published need's page),
list, see and step projects; another county's or an unknown project answers 404. The public list
shows every project's title, county, budget, term, lead unit and status — no owner, no contact.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cimon.errors import CimonError
from cimon.store.libraries import projects as svc
from cimon.store.libraries.models import Need
from cimon.store.libraries.project_models import PROJECT_STATUSES, Project
from cimon.store.national.hosting import in_public_province, public_choices, public_province
from cimon.web.accounts import policy_calls as pc
from cimon.web.libraries.call_views import _bad, _date, _whole
from cimon.web.libraries.views import _fail, _names


def _project(request: HttpRequest, pk: int) -> Project:
    project = Project.objects.filter(pk=pk).first()
    if project is None or not pc.can_manage_project(request.user, project):
        raise Http404
    return project


def _rows(projects: list[Project]) -> list[tuple[Project, object, tuple[str, str]]]:
    return [(p, p.current, PROJECT_STATUSES[p.status]) for p in projects]


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    """Every project of the 项目库, for everyone (no login): no owner, no contact."""
    province = public_province(request.GET.get("province"))  # several hosted (#20)
    projects = list(in_public_province(pc.visible_projects(request.user), province)[:500])
    ctx = {"projects": _rows(projects), "names": _names(), "provinces": public_choices(),
           "province": province or ""}  # fmt: skip
    return render(request, "libraries/projects/public.html", ctx)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The projects of the counties the user manages, and their published needs."""
    if not pc.can_make_calls(request.user):
        raise PermissionDenied
    user = request.user
    projects = [p for p in Project.objects.all()[:500] if pc.can_manage_project(user, p)]
    needs = [n for n in Need.objects.published()[:500]
             if pc.can_manage_call(user, n.region_code)]  # fmt: skip
    ctx = {"projects": _rows(projects), "needs": [(n, n.current) for n in needs],
           "names": _names()}  # fmt: skip
    return render(request, "libraries/projects/index.html", ctx)


@login_required
@require_POST
def project_new(request: HttpRequest) -> HttpResponse:
    """Make a project (立项) from a published need of a county the user manages."""
    if not pc.can_make_calls(request.user):
        raise PermissionDenied
    p = request.POST
    need = Need.objects.filter(pk=_whole(p.get("need")) or 0).first()
    budget = _whole(p.get("budget"))
    start, end = _date(p.get("starts_on")), _date(p.get("ends_on"))
    if need is None or budget is None or start is None or end is None:
        return _bad(
            "请选择需求，并填写项目经费（budget，元，整数）和起止日期（starts_on、ends_on，"
            "YYYY-MM-DD）。",
            "Choose a need and give the budget (budget, whole 元) and the term (starts_on, "
            "ends_on, YYYY-MM-DD).",
        )
    if not pc.can_manage_call(request.user, need.region_code):
        raise Http404
    try:
        project = svc.create_project(
            need, request.user, title=p.get("title", "")[:255], budget=budget, starts_on=start,
            ends_on=end, lead_unit=p.get("lead_unit", "")[:255], tasks=p.get("tasks", "")[:8000],
        )  # fmt: skip
    except CimonError as exc:
        _fail(request, exc)
        return redirect("libraries:projects")
    return redirect("libraries:project", pk=project.pk)


@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    ctx = {
        "project": project,
        "version": project.current,
        "versions": project.versions.order_by("-number"),
        "status": PROJECT_STATUSES[project.status],
        "names": _names(),
    }
    return render(request, "libraries/projects/project.html", ctx)


@login_required
@require_POST
def project_step(request: HttpRequest, pk: int) -> HttpResponse:
    """start | finish | stop (reason) | edit (the content fields: a new version)."""
    project = _project(request, pk)
    p = request.POST
    action = p.get("action", "")
    try:
        if action in ("start", "finish", "stop"):
            svc.step_project(project, request.user, action, p.get("reason", "")[:4000])
        elif action == "edit":
            budget = _whole(p.get("budget"))
            start, end = _date(p.get("starts_on")), _date(p.get("ends_on"))
            if budget is None or start is None or end is None:
                return _bad(
                    "请填写项目经费（budget，元，整数）和起止日期（starts_on、ends_on）。",
                    "Give the budget (budget, whole 元) and the term (starts_on, ends_on).",
                )
            svc.edit_project(
                project, request.user, title=p.get("title", "")[:255], budget=budget,
                starts_on=start, ends_on=end, lead_unit=p.get("lead_unit", "")[:255],
                tasks=p.get("tasks", "")[:8000],
            )  # fmt: skip
        else:
            return _bad("未知操作：请使用页面上的按钮。", "Unknown step: use the page's buttons.")
    except CimonError as exc:
        _fail(request, exc)
    return redirect("libraries:project", pk=project.pk)
