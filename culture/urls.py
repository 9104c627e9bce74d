from django.urls import path

from .views import facilities, house_photos, pages, selections, sessions

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
    # culture facilities (issue 13 items 4, 5): the core's facilities of the culture kinds, and their records
    path("facilities/", facilities.facility_list, name="facility_list"),
    path("facilities/<int:pk>/", facilities.facility_page, name="facility"),
    path("facilities/<int:pk>/books/new/", facilities.book_stock_create, name="book_stock_create"),
    path("book-stock/<int:pk>/edit/", facilities.book_stock_edit, name="book_stock_edit"),
    path("nostalgia/<int:pk>/steps/new/", facilities.nostalgia_step_create, name="nostalgia_step_create"),
    path("nostalgia/<int:pk>/collection/new/", facilities.collection_item_create, name="collection_item_create"),
    path("nostalgia-steps/<int:pk>/edit/", facilities.nostalgia_step_edit, name="nostalgia_step_edit"),
    path("collection/", facilities.collection_list, name="collection_list"),
    path("collection/export.xlsx", facilities.collection_export, name="collection_export"),
    path("collection/<int:pk>/", facilities.collection_item, name="collection_item"),
    path("collection/<int:pk>/edit/", facilities.collection_item_edit, name="collection_item_edit"),
    *facilities.TEAMS.urls(),
    path("art-works/", facilities.art_work_list, name="art_work_list"),
    path("art-works/new/", facilities.art_work_create, name="art_work_create"),
    path("art-works/<int:pk>/", facilities.art_work_detail, name="art_work_detail"),
    path("art-works/<int:pk>/edit/", facilities.art_work_edit, name="art_work_edit"),
]
