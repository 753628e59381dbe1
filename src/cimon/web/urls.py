"""Every URL of the platform. ``tests/web/test_permissions.py`` walks this configuration: a URL
added here without a declared expectation per role fails that test."""

from __future__ import annotations

from django.urls import include, path

from cimon.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("cimon.web.accounts.urls")),
    path("", include("cimon.web.submissions.urls")),
    path("", include("cimon.web.evaluations.urls")),
    path("", include("cimon.web.dashboard.urls")),
    path("", include("cimon.web.registry.urls")),
    path("api/", include("cimon.web.api.urls")),
    path("", include("cimon.web.evidence.urls")),
    path("", include("cimon.web.libraries.urls")),
    path("", include("cimon.web.programmes.urls")),
    path("", include("cimon.web.commissioners.urls")),
]
