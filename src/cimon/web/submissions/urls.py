from __future__ import annotations

from django.urls import path

from cimon.web.submissions import views

app_name = "submissions"
urlpatterns = [
    path("submit/", views.portal_home, name="portal"),
    path("submit/template/", views.template_download, name="template"),
    path("submit/upload/", views.upload, name="upload"),
    path("submit/<int:pk>/", views.detail, name="detail"),
    path("submit/<int:pk>/file/", views.download, name="file"),
    path("submit/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("status/", views.status_board, name="board"),
    path("status/deadline/", views.deadline, name="deadline"),
]
