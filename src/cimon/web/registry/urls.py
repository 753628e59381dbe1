from __future__ import annotations

from django.urls import path

from cimon.web.registry import views

app_name = "registry"
urlpatterns = [
    path("registry/", views.enterprises, name="index"),
    path("registry/carriers/", views.carriers, name="carriers"),
    path("registry/upload/", views.upload, name="upload"),
    path("registry/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("registry/review/<int:pk>/", views.decide_item, name="decide"),
    path("registry/count/<int:year>/<str:code>/", views.count_list, name="count"),
    path(
        "registry/derived/<int:pk>/<str:variable>/<str:code>/<int:year>/",
        views.derived_list,
        name="derived",
    ),
]
