from django.urls import path

from . import views_bank as v

urlpatterns = [
    path("bank/", v.bank, name="bank"),
    path("bank/export/", v.export, name="bank_export"),
    path("bank/new/", v.question_create, name="question_create"),
    path("bank/<int:pk>/", v.question_detail, name="question"),
    path("bank/<int:pk>/edit/", v.question_edit, name="question_edit"),
    path("bank/<int:pk>/history/", v.question_history, name="question_history"),
    path("bank/<int:pk>/status/", v.question_status, name="question_status"),
    path("bank/import/", v.import_upload, name="import"),
    path("bank/import/template.xlsx", v.import_template, name="import_template"),
    path("bank/import/<int:pk>/", v.import_report, name="import_report"),
    path("bank/import/<int:pk>/errors.xlsx", v.import_errors, name="import_errors"),
    path("bank/import/<int:pk>/commit/", v.import_commit, name="import_commit"),
    path("bank/import/<int:pk>/discard/", v.import_discard, name="import_discard"),
    path("stats/<int:pk>/", v.quiz_stats, name="quiz_stats"),
    path("mastery/mine/", v.my_weak_topics, name="my_weak_topics"),
    path("mastery/", v.org_mastery, name="org_mastery"),
]
