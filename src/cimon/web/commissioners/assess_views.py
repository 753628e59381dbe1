"""The annual assessment pages (issue #17): the province computes the year's assessment from the
records (a button; :func:`cimon.store.commissioners.board.compute`), the county reviews its rows
(keeps or changes a grade, with a reason for a change), the province confirms (with the 优秀 share
cap of the rule set), puts the year on 公示 (no backdating, at least ``CIMON_NOTICE_DAYS`` days)
and publishes; the 优秀 list (Word) and the whole assessment (Excel) are built from the frozen
rows; a commissioner sees its own assessment once it is on 公示. Every step is the store's
(:mod:`cimon.store.commissioners.yearly`); who may do it is the store policy's."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cimon.errors import CimonError
from cimon.reports.commissioners import assessment_xlsx, excellent_docx
from cimon.store.commissioners import board, policy, services
from cimon.store.commissioners.common import CommissionerError
from cimon.store.commissioners.models import Commissioner
from cimon.store.commissioners.names import A_COUNTY, A_DRAFT, ASSESSMENT_STATUSES, GRADES
from cimon.store.commissioners.records import Assessment
from cimon.store.evaluations.notice import default_notice_end
from cimon.web.commissioners.common import (
    county_names,
    fail,
    get_visible,
    me,
    page_of,
    query_without_page,
    require,
    role_in,
    who,
)
from cimon.web.i18n import tr

#: the label written into the downloads of demo data
DEMO = "模拟数据"


def _year(text: str | None) -> int:
    try:
        year = int(text or "")
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _back(year: int) -> HttpResponse:
    return redirect(reverse("commissioners:assess") + f"?year={year}")


@login_required
@require_GET
def assess(request: HttpRequest) -> HttpResponse:
    """The year's assessments the user sees, paged (``?county=``, ``?status=`` filters), the
    counts per status and grade, and the steps the role may take."""
    w = who(request)
    if w.role == "commissioner":
        return redirect("commissioners:assess_mine")
    if w.role not in ("admin", "county", "city", "unit"):
        raise PermissionDenied
    year = _year(request.GET.get("year"))
    qs = policy.visible(request.user, "assessment").filter(year=year, superseded_at__isnull=True)
    counts = {
        (r["status"], r["grade"]): r["n"]
        for r in qs.order_by().values("status", "grade").annotate(n=Count("pk"))
    }
    status = request.GET.get("status", "")
    if status in ASSESSMENT_STATUSES:
        qs = qs.filter(status=status)
    county = request.GET.get("county", "")[:12]
    if county:
        qs = qs.filter(county_code=county)
    page = page_of(request, qs.order_by("county_code", "-score", "pk"))
    names = dict(
        Commissioner.objects.with_profile()
        .filter(pk__in=[a.commissioner_id for a in page])
        .values_list("pk", "name")
    )
    today = timezone.localdate()
    notice = qs.model.objects.current().filter(year=year, status="notice").first()
    ctx = {
        "year": year,
        "page": page,
        "names": names,
        "counts": [(s, sum(n for (st, _), n in counts.items() if st == s)) for s in
                   ASSESSMENT_STATUSES],
        "grades": GRADES,
        "statuses": ASSESSMENT_STATUSES,
        "status": status,
        "county": county,
        "counties": county_names(),
        "is_admin": w.role == "admin",
        "is_county": w.role == "county",
        "cap": board.excellent_cap(),
        "start": today.isoformat(),
        "end": default_notice_end(today).isoformat(),
        "notice": notice,
        "query": query_without_page(request),
    }  # fmt: skip
    return render(request, "commissioners/assess.html", ctx)


@login_required
@require_POST
def assess_compute(request: HttpRequest) -> HttpResponse:
    """The province computes the year's assessment from the records and stores it as drafts
    (a row the county has reviewed is frozen and kept)."""
    role_in(request, "admin")
    year = _year(request.POST.get("year"))
    try:
        n, frozen = board.compute(year, request.user)
        messages.success(
            request,
            tr(f"已计算 {n} 份考核，{len(frozen)} 份已初审的保持不变。",
               f"{n} assessments computed; {len(frozen)} already reviewed kept as they were."),
        )  # fmt: skip
    except CimonError as exc:  # a refused step, or the rule engine naming a bad input
        fail(request, exc)
    return _back(year)


def _grade(request: HttpRequest) -> str | None:
    grade = request.POST.get("grade", "")
    return grade if grade in GRADES else None


@login_required
@require_POST
def assess_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The county keeps or changes one computed grade (a change needs a reason)."""
    row = get_visible(request, Assessment, pk)
    require(request, "county_review", row)
    try:
        services.county_review(
            row, request.user, _grade(request), request.POST.get("reason", "")[:2000]
        )
    except CommissionerError as exc:
        fail(request, exc)
    return _back(row.year)


@login_required
@require_POST
def assess_review_all(request: HttpRequest) -> HttpResponse:
    """The county keeps the computed grade of every draft of its county for the year."""
    w = role_in(request, "county")
    year = _year(request.POST.get("year"))
    n = sum(services.county_review_all(year, code, request.user) for code in w.counties)
    messages.success(request, tr(f"已初审 {n} 份。", f"{n} reviewed."))
    return _back(year)


@login_required
@require_POST
def assess_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The province confirms one county-reviewed assessment (a changed grade needs a reason)."""
    row = get_visible(request, Assessment, pk)
    require(request, "confirm", row)
    try:
        services.province_confirm(
            row, request.user, _grade(request), request.POST.get("reason", "")[:2000]
        )
    except CommissionerError as exc:
        fail(request, exc)
    return _back(row.year)


@login_required
@require_POST
def assess_confirm_all(request: HttpRequest) -> HttpResponse:
    """The province confirms every county-reviewed row of the year, refused while 优秀 would
    exceed the rule set's share."""
    role_in(request, "admin")
    year = _year(request.POST.get("year"))
    try:
        n = services.province_confirm_all(year, request.user, board.excellent_cap())
        messages.success(request, tr(f"已确认 {n} 份。", f"{n} confirmed."))
    except CommissionerError as exc:
        fail(request, exc)
    return _back(year)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@login_required
@require_POST
def assess_notice(request: HttpRequest) -> HttpResponse:
    """The year's confirmed assessments go on 公示 (today or later, at least the notice days)."""
    role_in(request, "admin")
    year = _year(request.POST.get("year"))
    start = _date(request.POST.get("start", ""))
    if start is None:
        return HttpResponse(
            tr("请填写公示开始日期（年-月-日）。", "Give the notice's start date (YYYY-MM-DD)."),
            status=400,
        )
    try:
        n = services.put_assessments_on_notice(
            year, request.user, start, _date(request.POST.get("end", ""))
        )
        messages.success(request, tr(f"{n} 份考核已进入公示。", f"{n} assessments on notice."))
    except CommissionerError as exc:
        fail(request, exc)
    return _back(year)


@login_required
@require_POST
def assess_publish(request: HttpRequest) -> HttpResponse:
    """After the notice the year's assessments are published."""
    role_in(request, "admin")
    year = _year(request.POST.get("year"))
    try:
        n = services.publish_assessments(year, request.user)
        messages.success(request, tr(f"已发布 {n} 份考核。", f"{n} assessments published."))
    except CommissionerError as exc:
        fail(request, exc)
    return _back(year)


def _label(year: int) -> str:
    demo = Assessment.objects.current().filter(year=year, label=DEMO).exists()
    return DEMO if demo else ""


def _file(data: bytes, name: str, kind: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=kind)
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@login_required
@require_GET
def assess_excellent(request: HttpRequest, year: int) -> HttpResponse:
    """The 优秀 list of the year's frozen (on notice or published) assessments, as Word."""
    role_in(request, "admin")
    frame = board.frozen_frame(year, policy.visible(request.user, "assessment"))
    if frame.empty:
        return HttpResponse(
            tr(f"{year} 年度的考核尚未公示，没有可下载的名单。",
               f"The {year} assessment is not on notice yet: nothing to download."),
            status=404,
        )  # fmt: skip
    data = excellent_docx(frame, year, county_names(), label=_label(year))
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _file(data, f"commissioners-excellent-{year}.docx", kind)


@login_required
@require_GET
def assess_workbook(request: HttpRequest, year: int) -> HttpResponse:
    """The year's whole frozen assessment as Excel (formula-safe cells)."""
    role_in(request, "admin")
    frame = board.frozen_frame(year, policy.visible(request.user, "assessment"))
    if frame.empty:
        return HttpResponse(
            tr(f"{year} 年度的考核尚未公示，没有可下载的结果。",
               f"The {year} assessment is not on notice yet: nothing to download."),
            status=404,
        )  # fmt: skip
    data = assessment_xlsx(frame, year, county_names(), label=_label(year))
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _file(data, f"commissioners-assessment-{year}.xlsx", kind)


@login_required
@require_GET
def assess_mine(request: HttpRequest) -> HttpResponse:
    """A commissioner's own assessments, once on 公示 (the policy shows no draft)."""
    person = me(request)
    rows = (
        policy.visible(request.user, "assessment")
        .filter(commissioner=person, superseded_at__isnull=True)
        .order_by("-year")
    )
    return render(
        request,
        "commissioners/assess_mine.html",
        {"rows": rows, "name": person.current.name, "grades": GRADES, "draft": A_DRAFT,
         "county_status": A_COUNTY},
    )  # fmt: skip
