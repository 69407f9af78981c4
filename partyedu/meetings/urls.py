from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.create, name="create"),
    path("new/org-fields/", views.org_fields, name="org_fields"),
    path("new/agenda-row/", views.agenda_row, name="agenda_row"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/held/", views.mark_held, name="mark_held"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/attachments/", views.upload, name="upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/attendance/<int:member_pk>/", views.attendance, name="attendance"),
    path("<int:pk>/observers/", views.add_observer, name="add_observer"),
    path("committee/", views.committee_index, name="committee_index"),
    path("committee/<int:org_pk>/", views.committee, name="committee"),
    path("committee/seats/<int:pk>/end/", views.committee_end, name="committee_end"),
]
