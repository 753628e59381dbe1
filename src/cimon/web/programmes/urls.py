from __future__ import annotations

from django.urls import path

from cimon.web.programmes import views

app_name = "programmes"
urlpatterns = [
    path("programmes/", views.index, name="index"),
    path("programmes/apply/", views.apply, name="apply"),
    path("programmes/applications/<int:pk>/", views.application, name="application"),
    path("programmes/applications/<int:pk>/step/", views.step, name="step"),
    path("programmes/batches/<int:pk>/review.docx", views.review_docx, name="review_docx"),
]
