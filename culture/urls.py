from django.urls import path

from .views import house_photos, pages, selections

app_name = "culture"

urlpatterns = [
    path("", pages.overview, name="overview"),
    path("settlements/<int:pk>/", pages.settlement_page, name="settlement"),
    path("households/<int:pk>/", pages.household_page, name="household"),
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
