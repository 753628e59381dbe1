from __future__ import annotations

from django.urls import path

from cimon.web.evidence import views

app_name = "evidence"
urlpatterns = [
    path("evidence/", views.index, name="index"),
    path("evidence/new/", views.new, name="new"),
    path("evidence/<int:pk>/", views.item, name="item"),
    path("evidence/<int:pk>/edit/", views.edit, name="edit"),
    path("evidence/file/<int:pk>/", views.document, name="file"),
    path("evidence/<int:pk>/return/", views.ask, name="ask"),
    path("evidence/question/<int:pk>/answer/", views.answer, name="answer"),
    path("evidence/<int:pk>/score/", views.score, name="score"),
    path("evidence/assignments/", views.assignments, name="assign"),
    path("evidence/results/<int:year>/", views.results, name="results"),
]
