from django.urls import include, path, register_converter

from . import audit_views, facility_views, photos, views
from .photos import views as photo_views

register_converter(photos.OwnerKeyConverter, "photo_owner")

urlpatterns = [
    path("", views.home, name="home"),
    path("reference/", views.reference, name="reference"),
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/as-of/", views.registry_as_of, name="registry_as_of"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/file/", views.household_file, name="household_file"),
    path("households/<int:pk>/file.xlsx", views.household_file_xlsx, name="household_file_xlsx"),
    path("households/<int:pk>/move-in/", views.household_move_in, name="household_move_in"),
    path("households/<int:pk>/move-out/", views.household_move_out, name="household_move_out"),
    path("households/<int:pk>/members/join/", views.household_member_join, name="household_member_join"),
    path("households/<int:pk>/members/leave/", views.household_member_leave, name="household_member_leave"),
    path("households/<int:pk>/split/", views.household_split, name="household_split"),
    path("households/<int:pk>/merge/", views.household_merge, name="household_merge"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/export.xlsx", views.person_export, name="person_export"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("facilities/", facility_views.facility_list, name="facility_list"),
    path("facilities/export.xlsx", facility_views.facility_export, name="facility_export"),
    path("facilities/new/", facility_views.facility_create, name="facility_create"),
    path("facilities/<int:pk>/", facility_views.facility_detail, name="facility_detail"),
    path("facilities/<int:pk>/edit/", facility_views.facility_edit, name="facility_edit"),
    path("imports/", include("settlements.imports.urls")),
    path("photos/<photo_owner:owner>/<int:pk>/add/", photo_views.photo_add, name="photo_add"),
    path("photos/<int:pk>/", photo_views.photo_image, name="photo_image"),
    path("photos/<int:pk>/thumbnail/", photo_views.photo_thumbnail, name="photo_thumbnail"),
    path("photos/<int:pk>/delete/", photo_views.photo_delete, name="photo_delete"),
    path("audit/", audit_views.audit_list, name="audit_list"),
    path("audit/export.xlsx", audit_views.audit_export, name="audit_export"),
    path("audit/verify/", audit_views.audit_verify, name="audit_verify"),
    path("audit/verify/<int:pk>/", audit_views.audit_verification, name="audit_verification"),
]
