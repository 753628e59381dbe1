from __future__ import annotations

from django.urls import path

from cimon.web.programmes import cases, target_plans, views

app_name = "programmes"
urlpatterns = [
    path("programmes/", views.index, name="index"),
    path("programmes/apply/", views.apply, name="apply"),
    path("programmes/applications/<int:pk>/", views.application, name="application"),
    path("programmes/applications/<int:pk>/step/", views.step, name="step"),
    path("programmes/applications/<int:pk>/opinion.docx", views.opinion, name="opinion_docx"),
    path("programmes/batches/<int:pk>/review.docx", views.review_docx, name="review_docx"),
    path("programmes/plans/", views.plans, name="plans"),
    path("programmes/target-plans/", target_plans.plan_list, name="target_plans"),
    path("programmes/target-plans/upload/", target_plans.upload, name="target_plan_upload"),
    path("programmes/target-plans/<int:pk>/", target_plans.plan_detail, name="target_plan"),
    path("programmes/target-plans/<int:pk>/report/", target_plans.report, name="target_report"),
    path("programmes/cases/", cases.case_list, name="cases"),
    path("programmes/cases/new/", cases.case_new, name="case_new"),
    path("programmes/cases/<int:pk>/", cases.case_detail, name="case"),
    path("programmes/cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("programmes/cases/<int:pk>/publish/", cases.case_publish, name="case_publish"),
    path("programmes/case-files/<int:pk>/", cases.case_file, name="case_file"),
    path("cases/", cases.public_cases, name="public_cases"),
]
