from __future__ import annotations

from django.urls import path

from cimon.web.dashboard import national, views

app_name = "dashboard"
urlpatterns = [
    path("dashboard/", views.index, name="index"),
    path("dashboard/national/", national.page, name="national"),  # #20
    path("dashboard/national/export/", national.export, name="national_export"),
    path("dashboard/<int:year>/", views.province, name="province"),
    path("dashboard/<int:year>/list/", views.ranked_list, name="list"),
    path("dashboard/<int:year>/city/<str:city>/", views.city, name="city"),
    path("dashboard/<int:year>/county/<str:code>/", views.county, name="county"),
    path("dashboard/<int:year>/incentives/", views.incentives, name="incentives"),
    path("dashboard/<int:year>/downloads/", views.downloads_page, name="downloads"),
    path("dashboard/<int:year>/downloads/<str:kind>/", views.download, name="download"),
]
