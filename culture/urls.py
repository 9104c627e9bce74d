from django.urls import path

from .views import house_photos, pages, selections, sessions

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
    # 新旧住房对比照片
    path("house-photos/", house_photos.house_photo_list, name="house_photos"),
    path("house-photos/export/", house_photos.house_photo_export, name="house_photo_export"),
    path("households/<int:pk>/house-photo/", house_photos.house_photo_record, name="house_photo_record"),
    # 评先选优
    path("selections/", selections.selection_list, name="selections"),
    path("selections/export/", selections.selection_export, name="selection_export"),
    path("selections/new/", selections.selection_create, name="selection_create"),
    path("selections/<int:pk>/", selections.selection_detail, name="selection"),
    path("selections/<int:pk>/edit/", selections.selection_edit, name="selection_edit"),
    path("selections/<int:pk>/honours/add/", selections.honour_add, name="honour_add"),
    path("selections/<int:pk>/roll/", selections.honour_roll, name="honour_roll"),
    path("honours/<int:pk>/delete/", selections.honour_delete, name="honour_delete"),
]
