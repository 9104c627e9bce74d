from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("upload/", views.import_upload, name="upload"),
    path("template/<slug:kind>.xlsx", views.import_template, name="template"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/progress/", views.import_progress, name="progress"),
    path("<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("<int:pk>/cancel/", views.import_cancel, name="cancel"),
]
