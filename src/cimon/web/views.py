"""Pages that belong to no single app: the home page and the CSRF failure page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cimon.web.accounts import policy


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where each role starts: admins at the status board, clerks and experts at the portal,
    city bureaus at their counties' status board; viewers (and users without a role) at a page saying what they may see."""
    if policy.can_manage(request.user):
        return redirect("submissions:board")
    if policy.can_submit(request.user):
        return redirect("submissions:portal")
    if policy.can_view_status(request.user):  # a city bureau: its counties' board
        return redirect("submissions:board")
    if policy.role(request.user) in ("commissioner", "unit"):  # 科技特派员, 派出单位 (#17)
        return redirect("commissioners:index")
    return render(request, "home.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form sent without a valid CSRF token, in both languages."""
    return render(request, "403_csrf.html", status=403)
