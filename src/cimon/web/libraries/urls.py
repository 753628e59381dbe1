from __future__ import annotations

from django.urls import path

from cimon.web.libraries import dashboard_views, views, views_more

app_name = "libraries"
urlpatterns = [
    path("libraries/public/", views.public, name="public"),
    path("libraries/", views.mine, name="mine"),
    path("libraries/needs/new/", views.need_new, name="need_new"),
    path("libraries/needs/<int:pk>/", views.need_detail, name="need"),
    path("libraries/needs/<int:pk>/submit/", views.need_submit, name="need_submit"),
    path("libraries/needs/<int:pk>/review/", views.need_review, name="need_review"),
    path("libraries/needs/<int:pk>/recommend/", views.recommend, name="recommend"),
    path("libraries/matches/<int:pk>/advance/", views.match_advance, name="match_advance"),
    path("libraries/achievements/new/", views.achievement_new, name="achievement_new"),
    path(
        "libraries/achievements/<int:pk>/publish/",
        views.achievement_publish,
        name="achievement_publish",
    ),
    path("libraries/review/", views.review_queue, name="review"),
    path("libraries/contracts/", views.contracts, name="contracts"),
    path("libraries/import/", views_more.import_page, name="import"),
    path("libraries/talent/", views_more.talent_list, name="talent"),
    path("libraries/talent/new/", views_more.talent_new, name="talent_new"),
    path("libraries/talent/<int:pk>/publish/", views_more.talent_publish, name="talent_publish"),
    path("libraries/matches/<int:pk>/feedback/", views_more.match_feedback, name="match_feedback"),
    path("libraries/matches/<int:pk>/transfer/", views_more.match_transfer, name="match_transfer"),
    path("libraries/dashboard/", dashboard_views.dashboard, name="dashboard"),
    path(
        "libraries/dashboard/download/",
        dashboard_views.dashboard_download,
        name="dashboard_download",
    ),
]
