from __future__ import annotations

from django.urls import path

from cimon.web.libraries import (
    call_views,
    collection_views,
    dashboard_views,
    project_views,
    views,
    views_more,
)

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
    # 揭榜挂帅 calls and 成果征集 collections
    path("libraries/calls/", call_views.index, name="calls"),
    path("libraries/calls/new/", call_views.call_new, name="call_new"),
    path("libraries/calls/<int:pk>/", call_views.call_detail, name="call"),
    path("libraries/calls/<int:pk>/step/", call_views.call_step, name="call_step"),
    path("libraries/calls/<int:pk>/apply/", call_views.call_apply, name="call_apply"),
    path("libraries/applications/<int:pk>/", call_views.application_detail, name="application"),
    path(
        "libraries/applications/<int:pk>/step/",
        call_views.application_step,
        name="application_step",
    ),
    path("libraries/call-files/<int:pk>/", call_views.call_file, name="call_file"),
    path("libraries/collections/new/", collection_views.collection_new, name="collection_new"),
    path("libraries/collections/<int:pk>/", collection_views.collection_detail, name="collection"),
    path(
        "libraries/collections/<int:pk>/step/",
        collection_views.collection_step,
        name="collection_step",
    ),
    path("libraries/entries/<int:pk>/step/", collection_views.entry_step, name="entry_step"),
    path("libraries/catalogue/", collection_views.catalogue, name="catalogue"),
    path(
        "libraries/catalogue.<str:fmt>",
        collection_views.catalogue_export,
        name="catalogue_export",
    ),
    # the 项目库 (需求项目化)
    path("libraries/projects/", project_views.index, name="projects"),
    path("libraries/projects/public/", project_views.public, name="projects_public"),
    path("libraries/projects/new/", project_views.project_new, name="project_new"),
    path("libraries/projects/<int:pk>/", project_views.project_detail, name="project"),
    path("libraries/projects/<int:pk>/step/", project_views.project_step, name="project_step"),
    path("libraries/dashboard/", dashboard_views.dashboard, name="dashboard"),
    path(
        "libraries/dashboard/download/",
        dashboard_views.dashboard_download,
        name="dashboard_download",
    ),
]
