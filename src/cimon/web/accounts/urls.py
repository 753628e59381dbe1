from __future__ import annotations

from django.urls import path, re_path

from cimon.web.accounts import user_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.password_changed, name="password_changed"),
    path("audit/", views.audit_log, name="audit"),
    re_path(r"^audit/export\.(?P<fmt>csv|xlsx)$", views.audit_export, name="audit_export"),
    path("users/", user_views.users, name="users"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<int:pk>/", user_views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", user_views.user_active, name="user_active"),
    path("users/<int:pk>/password/", user_views.user_password, name="user_password"),
]
