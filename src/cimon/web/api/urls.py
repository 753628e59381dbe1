"""The API's URLs. Every pattern here is a path of :mod:`.schema` and the other way round (a test
says so)."""

from __future__ import annotations

from django.urls import path

from cimon.web.api import views

app_name = "api"
urlpatterns = [
    path("", views.docs, name="docs"),
    path("v1/openapi.json", views.openapi, name="openapi"),
    path("v1/years", views.years, name="years"),
    path("v1/years/<str:year>/results", views.results, name="results"),
    path("v1/years/<str:year>/counties/<str:code>", views.county, name="county"),
    path("v1/years/<str:year>/incentives", views.incentives, name="incentives"),
    path("v1/years/<str:year>/cities", views.cities, name="cities"),
]
