"""科技特派员 (#17) URLs, all under /commissioners/."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_GET

from cimon.web.commissioners import assess_views as av
from cimon.web.commissioners import county, mine, province, rate, unit
from cimon.web.commissioners import monitor_views as mv
from cimon.web.commissioners.common import who

app_name = "commissioners"

#: where each role starts
START = {"unit": "commissioners:unit", "county": "commissioners:dispatches",
         "city": "commissioners:services", "admin": "commissioners:people"}  # fmt: skip


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    role = who(request).role
    if role == "commissioner":
        return mine.home(request)
    if role in START:
        return redirect(START[role])
    raise PermissionDenied


P = "commissioners/"
urlpatterns = [
    path(P, index, name="index"),
    # 科技特派员 (mobile)
    path(P + "services/new/", mine.service_new, name="service_new"),
    path(P + "services/<int:pk>/", mine.service, name="service"),
    path(P + "services/<int:pk>/correct/", mine.service_correct, name="service_correct"),
    path(P + "services/<int:pk>/photos/", mine.service_evidence, name="service_evidence"),
    path(P + "services/<int:pk>/code/", mine.service_code, name="service_code"),
    path(P + "files/<int:pk>/", mine.evidence_file, name="evidence_file"),
    path(P + "profile/", mine.profile, name="profile"),
    path(P + "ventures/", mine.ventures, name="ventures"),
    # 服务对象 (no account)
    path(P + "rate/", rate.enter, name="rate_enter"),
    path(P + "rate/<str:code>/", rate.rate, name="rate"),
    # 派出单位
    path(P + "unit/", unit.unit_home, name="unit"),
    path(P + "calls/<int:pk>/recommend/", unit.recommend, name="recommend"),
    path(P + "people/<int:pk>/", unit.person, name="person"),
    path(P + "people/<int:pk>/dispatch/", unit.dispatch_new, name="dispatch_new"),
    path(P + "people/<int:pk>/rate/", unit.rate_person, name="rate_person"),
    path(P + "dispatches/<int:pk>/days/", unit.days, name="days"),
    # lists by visibility; the county's steps
    path(P + "dispatches/", county.dispatches, name="dispatches"),
    path(P + "dispatches/<int:pk>/", county.dispatch, name="dispatch"),
    path(P + "dispatches/<int:pk>/decide/", county.dispatch_decide, name="dispatch_decide"),
    path(P + "dispatches/<int:pk>/end/", county.dispatch_end, name="dispatch_end"),
    path(P + "dispatches/<int:pk>/task/", county.dispatch_task, name="dispatch_task"),
    path(P + "services/", county.service_list, name="services"),
    path(P + "trainings/", county.trainings, name="trainings"),
    path(P + "teams/", county.teams, name="teams"),
    path(P + "teams/<int:pk>/coverage/", county.team_coverage, name="team_coverage"),
    # 省科技厅
    path(P + "units/", province.units, name="units"),
    path(P + "people/", province.people, name="people"),
    path(P + "calls/", province.calls, name="calls"),
    path(P + "calls/<int:pk>/", province.call, name="call"),
    path(P + "calls/<int:pk>/notice/", province.call_notice, name="call_notice"),
    path(P + "calls/<int:pk>/confirm/", province.call_confirm, name="call_confirm"),
    path(P + "candidates/<int:pk>/decide/", province.candidate_decide, name="candidate_decide"),
    # monitoring (province, city, county; a commissioner's own counts)
    path(P + "monitor/", mv.monitor_home, name="monitor"),
    path(P + "monitor/county/<str:code>/", mv.monitor_county, name="monitor_county"),
    path(P + "monitor/alerts/", mv.monitor_alerts, name="monitor_alerts"),
    path(P + "monitor/teams/", mv.monitor_teams, name="monitor_teams"),
    path(P + "monitor/me/", mv.monitor_me, name="monitor_me"),
    # the annual assessment
    path(P + "assessment/", av.assess, name="assess"),
    path(P + "assessment/compute/", av.assess_compute, name="assess_compute"),
    path(P + "assessment/<int:pk>/review/", av.assess_review, name="assess_review"),
    path(P + "assessment/review-all/", av.assess_review_all, name="assess_review_all"),
    path(P + "assessment/<int:pk>/confirm/", av.assess_confirm, name="assess_confirm"),
    path(P + "assessment/confirm-all/", av.assess_confirm_all, name="assess_confirm_all"),
    path(P + "assessment/notice/", av.assess_notice, name="assess_notice"),
    path(P + "assessment/publish/", av.assess_publish, name="assess_publish"),
    path(P + "assessment/<int:year>/excellent.docx", av.assess_excellent, name="assess_excellent"),
    path(P + "assessment/<int:year>/assessment.xlsx", av.assess_workbook, name="assess_workbook"),
    path(P + "assessment/mine/", av.assess_mine, name="assess_mine"),
]
