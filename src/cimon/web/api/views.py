"""Views of the JSON API: parse the request, ask :mod:`.services`, answer JSON. Thin.

Errors are ``{"error": {"code", "message_zh", "message_en"}}`` with the HTTP status: 400 a bad
parameter (named), 401 not logged in (an API answers 401, it does not redirect to a login page),
403 an account without a role (the list of years), 404 nothing published or not visible,
405 a method other than GET or HEAD.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from cimon.web.accounts import policy
from cimon.web.api import schema
from cimon.web.api import services as api
from cimon.web.api.services import ApiError

View = Callable[..., HttpResponse]


def _error(err: ApiError) -> JsonResponse:
    response = JsonResponse(
        err.body(), status=err.status, json_dumps_params={"ensure_ascii": False}
    )
    if err.status == 401:
        response["WWW-Authenticate"] = 'Cookie realm="cimon", cookie-name="sessionid"'
    return response


def _ok(data: Any) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False}, safe=False)
    response["Cache-Control"] = "private, no-cache"
    return response


def get_only(view: View) -> View:
    """GET and HEAD only, answered in JSON (405 otherwise)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = _error(
                ApiError(
                    405,
                    "method_not_allowed",
                    f"只读接口，不接受 {request.method} 请求。",
                    f"The API is read-only: {request.method} is not allowed.",
                )
            )
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return wrapped


def data_view(view: Callable[..., Any]) -> View:
    """A data endpoint: logged-in users only (401 JSON otherwise); ApiError → JSON."""

    @get_only
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if not request.user.is_authenticated:
                raise ApiError(
                    401,
                    "not_authenticated",
                    "请先登录（/accounts/login/）。",
                    "Log in first (/accounts/login/).",
                )
            return _ok(view(request, *args, **kwargs))
        except ApiError as err:
            return _error(err)

    return wrapped


@get_only
def docs(request: HttpRequest) -> HttpResponse:
    """The API described as a page (server-rendered; no script)."""
    return render(
        request,
        "api/docs.html",
        {"endpoints": schema.endpoints(), "info": schema.openapi()["info"]},
    )


@get_only
def openapi(request: HttpRequest) -> HttpResponse:
    return _ok(schema.openapi())


@data_view
def years(request: HttpRequest) -> dict[str, Any]:
    if policy.role(request.user) is None:
        raise ApiError(
            403,
            "forbidden",
            "您的账户没有角色，不能查看评价结果；请联系省级管理员。",
            "Your account has no role and may not read results; ask the administrator.",
        )
    return {"years": api.years(request.user)}


def _pub(request: HttpRequest, year: str) -> Any:
    y = api.parse_year(year)
    return api.publication(request.user, y, api.parse_version(request.GET.get("version")))


@data_view
def results(request: HttpRequest, year: str) -> dict[str, Any]:
    from cimon.store.evaluations.listing import MAX_PER_PAGE, filters_from

    g = request.GET
    page = api.parse_page("page", g.get("page"), 1, 10**6) if g.get("page") else None
    size = g.get("per_page")
    per_page = api.parse_page("per_page", size, MAX_PER_PAGE, MAX_PER_PAGE) if size else None
    pub = api.publication(
        request.user, api.parse_year(year), api.parse_version(g.get("version")), rows=False
    )
    return api.results(pub, request.user, filters_from(g), page, per_page)


@data_view
def county(request: HttpRequest, year: str, code: str) -> dict[str, Any]:
    api.parse_year(year)
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        raise api.bad_parameter(
            "code", code, "应为六位数字的县（市、区）代码。", "use a six-digit county code."
        )
    return api.county(_pub(request, year), request.user, code)


@data_view
def incentives(request: HttpRequest, year: str) -> dict[str, Any]:
    return api.incentives(_pub(request, year), request.user)


@data_view
def cities(request: HttpRequest, year: str) -> dict[str, Any]:
    return api.cities(_pub(request, year), request.user)
