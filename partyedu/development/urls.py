from django.urls import path

from . import views

app_name = "development"
urlpatterns = [
    path("", views.board, name="board"),
    path("members/<int:pk>/", views.person, name="person"),
    path("members/<int:pk>/open/", views.open_path, name="open"),
    path("members/<int:pk>/record/", views.record, name="record"),
    path("members/<int:pk>/record.docx", views.record_docx, name="record_docx"),
    path("calendar/", views.calendar_list, name="calendar"),
    path("calendar/month/", views.calendar_month, name="calendar_month"),
    path("calendar/export/", views.calendar_xlsx, name="calendar_xlsx"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("mine/", views.mine, name="mine"),
]
