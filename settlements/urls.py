from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("households/", views.household_list, name="household_list"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("reference/", views.reference, name="reference"),
]
