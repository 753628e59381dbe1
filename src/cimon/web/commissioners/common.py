"""What the commissioners' pages share: the object look-up through the store's policy (404 for
what a user may not see), the role, errors as messages, paging and the village choices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from cimon.errors import CimonError
from cimon.store.commissioners import policy
from cimon.store.commissioners.models import Commissioner, Dispatch
from cimon.store.commissioners.names import ACCEPTED
from cimon.store.commissioners.records import ServiceRecord
from cimon.web.i18n import lang

#: rows per page of the long lists (services, people, dispatches)
PER_PAGE = 50


def who(request: HttpRequest) -> policy.Who:
    return policy.who(request.user)


def role_in(request: HttpRequest, *roles: str) -> policy.Who:
    """The user, when its role is one of ``roles``; 403 otherwise."""
    w = policy.who(request.user)
    if w.role not in roles:
        raise PermissionDenied
    return w


def me(request: HttpRequest) -> Commissioner:
    """The commissioner of a commissioner account (403 for anyone else, or an account that no
    commissioner is linked to yet)."""
    w = policy.who(request.user)
    if w.role != "commissioner" or w.commissioner_id is None:
        raise PermissionDenied
    return Commissioner.objects.get(pk=w.commissioner_id)


def get_visible(request: HttpRequest, model: type[Model], pk: int, **related: Any) -> Any:
    """The record ``pk`` of ``model`` when the user may see it; 404 otherwise (ids tell
    nothing about records of others)."""
    qs = model._default_manager.all()
    if related.get("select"):
        qs = qs.select_related(*related["select"])
    obj = qs.filter(pk=pk).first()
    if obj is None or not policy.can_view(request.user, obj):
        raise Http404
    return obj


def require(request: HttpRequest, action: str, obj: Any) -> None:
    """403 unless the user may take ``action`` on ``obj`` (which it sees)."""
    if not policy.can(request.user, action, obj):
        raise PermissionDenied


def fail(request: HttpRequest, exc: CimonError) -> None:
    messages.error(request, exc.render(lang()))


def page_of(request: HttpRequest, qs: QuerySet[Any], per_page: int = PER_PAGE) -> Page:
    """One page of ``qs`` (``?page=``): a COUNT and a LIMIT/OFFSET query, whatever the size."""
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The query string of the current filters without ``page`` (for the pager's links)."""
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


def village_choices(county_codes: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The villages a commissioner can pick, per county: ``[(county, [(code, label), …])]``.

    Until the village registry (``cimon.registry.villages``) is merged, the villages known to
    the platform are those of the dispatches and of the service records already logged in the
    county; the page also takes a typed 12-digit code. Point :func:`known_villages` at the
    registry when it lands."""
    return [(c, known_villages(c)) for c in county_codes]


def known_villages(county_code: str, limit: int = 500) -> list[tuple[str, str]]:
    """(code, label) of the villages of ``county_code`` known so far (see
    :func:`village_choices`); the label is the code while no registry gives the name."""
    codes = set(
        Dispatch.objects.filter(county_code=county_code)
        .exclude(village_code="")
        .values_list("village_code", flat=True)[:limit]
    )
    codes |= set(
        ServiceRecord.objects.current()
        .filter(county_code=county_code)
        .values_list("village_code", flat=True)
        .distinct()[:limit]
    )
    return [(c, c) for c in sorted(codes)[:limit]]


def running_dispatches(person: Commissioner) -> QuerySet[Dispatch]:
    return Dispatch.objects.filter(commissioner=person, status=ACCEPTED).order_by("-start_on")


def county_names() -> dict[str, str]:
    from cimon.store.platform import platform_registry

    return {r.code: r.name for r in platform_registry()}
