"""Log in and out, change one's password, the lockout page, and the audit log (admins)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

from cimon.store import audit
from cimon.web.accounts import policy
from cimon.web.i18n import lang


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): a link cannot log anyone out."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_changed")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(self.request.user, "user.password_changed", "user", self.request.user.pk)
        return response


@login_required
def password_changed(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_changed.html")


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this instead of its own English-only page: HTTP 429, both languages."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    by_address = bool(getattr(request, "cimon_address_locked", False))
    limit = settings.CIMON_LOGIN_ADDRESS_LIMIT if by_address else settings.AXES_FAILURE_LIMIT
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "limit": limit, "by_address": by_address},
        status=429,
    )


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _filtered(request: HttpRequest) -> Any:
    if not policy.can_manage(request.user):
        raise PermissionDenied
    g = request.GET
    return audit.events(
        q=g.get("q", "").strip(),
        action=g.get("action", "").strip(),
        user=g.get("user", "").strip(),
        since=_date(g.get("since")),
        until=_date(g.get("until")),
    )


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    qs = _filtered(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit.html",
        {
            "page": page,
            "rows": list(zip(page.object_list, audit.rows(page.object_list), strict=True)),
            "header": audit.header(lang()),
            "query": query.urlencode(),
            "f": request.GET,
        },
    )


@login_required
@require_GET
def audit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    qs = _filtered(request)
    audit.record(request.user, "audit.exported", "audit", fmt, rows=qs.count())
    if fmt == "xlsx":
        return HttpResponse(
            audit.to_xlsx(qs, lang()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": 'attachment; filename="cimon-audit.xlsx"'},
        )
    return HttpResponse(
        audit.to_csv(qs, lang()),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="cimon-audit.csv"'},
    )
