from django.urls import path

from . import views_import

app_name = "employment_imports"

urlpatterns = [
    path("", views_import.import_list, name="list"),
    path("upload/", views_import.import_upload, name="upload"),
    path("template/<str:kind>.xlsx", views_import.import_template, name="template"),
    path("<int:pk>/", views_import.import_detail, name="detail"),
    path("<int:pk>/progress/", views_import.import_progress, name="progress"),
    path("<int:pk>/confirm/", views_import.import_confirm, name="confirm"),
    path("<int:pk>/cancel/", views_import.import_cancel, name="cancel"),
]
