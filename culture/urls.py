from django.urls import path

from .views import pages, sessions

app_name = "culture"

urlpatterns = [
    *pages.PAGES.urls(),
    path("sessions/", sessions.session_list, name="sessions"),
    path("sessions/new/", sessions.session_create, name="session_create"),
    path("sessions/export/", sessions.session_export, name="session_export"),
    path("sessions/calendar/", sessions.county_calendar, name="session_calendar"),
    path("sessions/calendar/<int:pk>/", sessions.settlement_calendar, name="settlement_calendar"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
]
