"""The 服务对象's rating page (no account): ``/commissioners/rate/`` takes a code,
``/commissioners/rate/<code>/`` shows which service it is for (date, kind, the commissioner's
name, the village — never a phone number) and takes a satisfaction of 1–5 and a comment.

Codes the store refuses (unknown, used, replaced, expired, or the record corrected) are refused
with the store's message. Every refused code counts against the client's address (read as the
login lockout reads it, :func:`cimon.web.clientip.client_ip`): after
``CIMON_RATING_ADDRESS_LIMIT`` (default 20) refusals within ``AXES_COOLOFF_TIME`` (15 minutes)
the address gets 429 until the window passes. The refusals are audit events
(``rating.refused``), so the count holds across server processes. Forms are CSRF protected."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cimon.store import audit
from cimon.store.commissioners import rating
from cimon.store.commissioners.names import SERVICE_KINDS
from cimon.store.commissioners.rating import RatingRefused
from cimon.store.submissions.models import AuditEvent
from cimon.web.clientip import client_ip
from cimon.web.i18n import lang, tr

REFUSED = "rating.refused"


def limit() -> int:
    return int(settings.CIMON_RATING_ADDRESS_LIMIT)


def refusals(ip: str) -> int:
    """Refused codes from ``ip`` within the cool-off time."""
    since = timezone.now() - timedelta(seconds=settings.AXES_COOLOFF_TIME.total_seconds())
    return AuditEvent.objects.filter(
        at__gte=since, action=REFUSED, object_type="address", object_id=ip[:50]
    ).count()


def _refusal(
    request: HttpRequest, ip: str, exc: RatingRefused, code: str, status: int
) -> HttpResponse:
    """Count the refusal against the address and show the store's message with the code form."""
    audit.record(None, REFUSED, "address", ip[:50], reason=exc.en[:200])
    ctx = {"error": exc.render(lang()), "code": code[:20]}
    return render(request, "commissioners/rate_enter.html", ctx, status=status)


class RatingForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        choices=[(str(i), str(i)) for i in range(1, 6)], coerce=int
    )
    comment = forms.CharField(max_length=500, required=False)


def _too_many(request: HttpRequest) -> HttpResponse:
    msg = tr(
        "尝试次数过多：请 15 分钟后再试，或向特派员核对评价码。",
        "Too many attempts: try again in 15 minutes, or check the code with the commissioner.",
    )
    return render(request, "commissioners/rate_enter.html", {"error": msg}, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest) -> HttpResponse:
    """A form to type the code (the link has it already)."""
    if request.method == "POST":
        code = rating.normalise(request.POST.get("code", ""))[:20]
        if code:
            return redirect("commissioners:rate", code=code)
    return render(request, "commissioners/rate_enter.html", {})


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, code: str) -> HttpResponse:
    ip = client_ip(request)
    if refusals(ip) >= limit():
        return _too_many(request)
    try:
        token = rating.check(code)
    except RatingRefused as exc:
        return _refusal(request, ip, exc, code, 404)
    record = token.record
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating.redeem(code, form.cleaned_data["satisfaction"], form.cleaned_data["comment"])
        except RatingRefused as exc:
            return _refusal(request, ip, exc, code, 409)
        return render(request, "commissioners/rate_done.html", {})
    profile = record.commissioner.current
    ctx: dict[str, Any] = {
        "form": form,
        "code": rating.display(rating.normalise(code)),
        "record": record,
        "kind": SERVICE_KINDS.get(record.kind, (record.kind, record.kind)),
        "name": profile.name,  # never the phone
        "scores": range(1, 6),
        "invalid": request.method == "POST",
    }
    return render(
        request, "commissioners/rate.html", ctx, status=400 if request.method == "POST" else 200
    )
