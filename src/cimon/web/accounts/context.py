"""Template context: the user's account and role names, for the header and menus."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cimon.web.accounts import policy
from cimon.web.i18n import tr


def account(request: HttpRequest) -> dict[str, Any]:
    acct = policy.account(getattr(request, "user", None))
    return {
        "account": acct,
        "role": acct.role if acct else None,
        "role_label": tr(*acct.role_name) if acct else "",
        "can_submit": acct is not None and policy.can_submit(request.user),
        "can_view_status": acct is not None and policy.can_view_status(request.user),
        "can_manage": acct is not None and policy.can_manage(request.user),
        "results_year": _latest_results_year(request.user) if acct is not None else None,
    }


def _latest_results_year(user: Any) -> int | None:
    from cimon.store.evaluations.models import Publication
    from cimon.store.national.hosting import scoped

    # the year only: every page asks, and a publication's rows are megabytes at national size;
    # on an instance hosting several provinces, the user's province's (#20)
    current = Publication.objects.current()
    years = scoped(user, current, policy.PUBLICATION_PROVINCE).order_by("-evaluation_year")
    return years.values_list("evaluation_year", flat=True).first()
