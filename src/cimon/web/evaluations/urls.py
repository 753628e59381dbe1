from __future__ import annotations

from django.urls import path

from cimon.web.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("evaluations/", views.index, name="index"),
    path("evaluations/run/", views.run, name="run"),
    path("evaluations/<int:pk>/", views.detail, name="detail"),
    path("evaluations/<int:pk>/progress/", views.progress, name="progress"),
    path("evaluations/<int:pk>/notice/", views.notice, name="notice"),
    path("evaluations/<int:pk>/objections/", views.objection, name="objection"),
    path("evaluations/objections/<int:pk>/handle/", views.handle, name="handle"),
    path("evaluations/<int:pk>/publish/", views.publish, name="publish"),
    path("results/<int:year>/", views.results, name="results"),
]
