"""Logins, logouts and lockouts go to the audit log too."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from cimon.store.audit import record
from cimon.web.clientip import client_ip


def _ip(request: Any) -> str:
    return client_ip(request) if request else ""


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(user, "login", "user", user.pk, ip=_ip(request))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(user, "logout", "user", user.pk, ip=_ip(request))


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any) -> None:
    record(None, "login.locked_out", "user", username or "", username=username, ip=ip_address)
