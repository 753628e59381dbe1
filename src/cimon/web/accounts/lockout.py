"""Who is logging in from where, and when to stop them (issue #14, item 9).

Two limits, both counted by django-axes' attempt records over ``AXES_COOLOFF_TIME`` (15
minutes):

* **a user name from an address**: ``AXES_FAILURE_LIMIT`` (5) failures lock that pair;
* **an address, whatever the user names**: ``CIMON_LOGIN_ADDRESS_LIMIT`` (default 30) failures
  lock every login from it, so that one machine cannot try 40 user names five times each.

The address is the client's, not the proxy's: behind a reverse proxy every request comes from
the proxy, so five bad passwords would lock ``admin`` out for everyone and the per-address limit
would lock the whole province out. :func:`cimon.web.clientip.client_ip` therefore reads
``X-Forwarded-For`` — but only when the request comes from a proxy listed in
``CIMON_TRUSTED_PROXIES`` (addresses or networks); from anyone else the header is ignored, since
a client can write whatever it likes there.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from cimon.web.clientip import client_ip


def address_failures(ip: str) -> int:
    """Failed logins from ``ip`` within the cool-off time, over every user name."""
    since = timezone.now() - timedelta(seconds=settings.AXES_COOLOFF_TIME.total_seconds())
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return int(total or 0)


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler plus the per-address limit (``AXES_HANDLER``)."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        ip = getattr(request, "axes_ip_address", None) or client_ip(request)
        if address_failures(ip) >= settings.CIMON_LOGIN_ADDRESS_LIMIT:
            request.cimon_address_locked = True
            return True
        return False

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        ip = getattr(request, "axes_ip_address", None) or client_ip(request)
        n = address_failures(ip)
        if n >= settings.CIMON_LOGIN_ADDRESS_LIMIT:
            request.axes_locked_out = True
            request.cimon_address_locked = True
            if n == settings.CIMON_LOGIN_ADDRESS_LIMIT:  # once, when the limit is reached
                from cimon.store.audit import record

                username = str((credentials or {}).get("username", ""))[:150]
                record(None, "login.address_locked_out", "address", ip, ip=ip, last=username)
