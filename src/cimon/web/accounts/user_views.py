"""User management pages (省级管理员): list, create, change role and scope, deactivate and
reactivate, reset a password. Thin: the changes and their audit events are
:mod:`cimon.store.accounts.services` (the same functions as ``cimon user``); a generated password
is shown once, in the answer to the POST that made it, and never stored in clear.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cimon.errors import CimonError
from cimon.store.accounts import services as svc
from cimon.store.national import members
from cimon.store.national.hosting import hosted, user_province
from cimon.web.accounts import policy
from cimon.web.accounts.forms import UserForm
from cimon.web.accounts.management import check_not_self, user_rows
from cimon.web.i18n import lang, tr


def _admin(request: HttpRequest) -> None:
    if not policy.can_manage(request.user):
        raise PermissionDenied


def _target(request: HttpRequest, pk: int) -> Any:
    """The account to change: 404 for none, and for another province's on an instance
    hosting several (#20)."""
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None or not members.may_manage(request.user, user):
        raise Http404
    return user


def _provinces(request: HttpRequest) -> list[tuple[str, str]] | None:
    """The province choices of the form; None (no field) on a single-province instance."""
    return members.choices(request.user) if hosted() else None


def _set_province(request: HttpRequest, user: Any, code: str | None) -> None:
    """Put the account in its province (multi-province instances); refused codes raise."""
    if code is not None:
        members.set_province(user, code, by=request.user)


def _tools() -> tuple[Any, Any]:
    from cimon.store.platform import platform_framework, platform_registry

    return platform_framework(), platform_registry()


def _linked(user: Any) -> int | None:
    """The id of the commissioner the account is linked to, if any."""
    from django.apps import apps

    person = apps.get_model("commissioners", "Commissioner")
    found = person.objects.filter(user=user).values_list("pk", flat=True).first()
    return int(found) if found is not None else None


def _once(request: HttpRequest, user: Any, password: str, created: bool) -> HttpResponse:
    """The page that shows a new password once; never cached."""
    response = render(
        request,
        "accounts/user_password.html",
        {"target": user, "password": password, "created": created},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def users(request: HttpRequest) -> HttpResponse:
    _admin(request)
    _, registry = _tools()
    shown = members.manageable(request.user, get_user_model().objects.all())
    return render(
        request,
        "accounts/users.html",
        {"rows": user_rows(registry, shown), "provinces": bool(hosted())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    _admin(request)
    fw, registry = _tools()
    form = UserForm(
        request.POST if request.method == "POST" else None,
        framework=fw,
        registry=registry,
        creating=True,
        initial={"role": "viewer"},
        provinces=_provinces(request),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():  # the account and its province, or nothing
                user, password = _create(request, d, fw, registry)
        except CimonError as exc:
            form.add_error(None, exc.render(lang()))
        else:
            return _once(request, user, password, created=True)
    return render(request, "accounts/user_form.html", {"form": form, "target": None})


def _create(request: HttpRequest, d: dict[str, Any], fw: Any, registry: Any) -> tuple[Any, str]:
    user, password = svc.create_user(
        d["username"],
        d["role"],
        framework=fw,
        registry=registry,
        department=d["department"],
        region=d["region"],
        city=d["city"],
        unit=d["unit"],
        commissioner=d["commissioner"],
        display_name=d["display_name"].strip(),
        assign=d["assign"],
        by=request.user,
    )
    _set_province(request, user, d.get("province"))
    return user, password


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    target = _target(request, pk)
    fw, registry = _tools()
    now = svc.account_snapshot(target)
    linked = _linked(target)
    initial = {
        "unit": now["unit"],
        "commissioner": linked,
        "role": now["role"] or "viewer",
        "department": now["department"],
        "region": now["region_code"],
        "city": now["city"],
        "display_name": now["display_name"],
        "assign": now["assigned"],
        "province": user_province(target) or "",
    }
    form = UserForm(
        request.POST if request.method == "POST" else None,
        framework=fw,
        registry=registry,
        creating=False,
        initial=initial,
        linked=linked,
        provinces=_provinces(request),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            check_not_self(request.user, target, role=d["role"])
            with transaction.atomic():
                _update(request, target, d, fw, registry, linked)
        except CimonError as exc:
            form.add_error(None, exc.render(lang()))
        else:
            messages.success(
                request, tr(f"已保存 {target.get_username()}。", f"Saved {target.get_username()}.")
            )
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "target": target})


def _update(
    request: HttpRequest, target: Any, d: dict[str, Any], fw: Any, registry: Any, linked: Any
) -> None:
    svc.update_user(
        target.get_username(),
        framework=fw,
        registry=registry,
        role=d["role"],
        department=d["department"],
        region=d["region"],
        city=d["city"],
        unit=d["unit"],
        commissioner=d["commissioner"] if d["commissioner"] != linked else None,
        assign=d["assign"],
        display_name=d["display_name"].strip(),
        by=request.user,
    )
    _set_province(request, target, d.get("province"))


@login_required
@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate (``active=0``: may no longer log in; nothing is deleted) or reactivate."""
    _admin(request)
    target = _target(request, pk)
    active = request.POST.get("active") == "1"
    fw, registry = _tools()
    try:
        check_not_self(request.user, target, active=active)
        svc.update_user(
            target.get_username(), framework=fw, registry=registry, active=active, by=request.user
        )
    except svc.AccountError as exc:
        messages.error(request, exc.render(lang()))
    else:
        name = target.get_username()
        messages.success(
            request,
            tr(f"已启用 {name}。", f"{name} reactivated.")
            if active
            else tr(f"已停用 {name}。", f"{name} deactivated."),
        )
    return redirect("accounts:users")


@login_required
@require_POST
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    """A new random password (shown once) that also lifts a lockout."""
    _admin(request)
    target = _target(request, pk)
    password = svc.set_password(target.get_username(), by=request.user)
    return _once(request, target, password, created=False)
