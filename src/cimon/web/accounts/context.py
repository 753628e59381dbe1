"""Template context: the user's account and role names, for the header and menus."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cimon.web.accounts import policy
from cimon.web.i18n import tr


def account(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    acct = policy.account(user)
    return {
        "account": acct,
        "role": acct.role if acct else None,
        "role_label": tr(*acct.role_name) if acct else "",
        "can_submit": acct is not None and policy.can_submit(request.user),
        "can_view_status": acct is not None and policy.can_view_status(request.user),
        "can_manage": acct is not None and policy.can_manage(request.user),
        "results_year": _latest_results_year(user) if acct is not None else None,
    }


def _latest_results_year(user: Any) -> int | None:
    from cimon.store.evaluations.models import Publication
    from cimon.store.national.hosting import viewer_province

    province = viewer_province(user)  # the account's province's results (#20)
    if province is None:
        return None
    # the year only: every page asks, and a publication's rows are megabytes at national size
    years = Publication.objects.current().filter(province=province).order_by("-evaluation_year")
    return years.values_list("evaluation_year", flat=True).first()
