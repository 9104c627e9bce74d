from django.urls import path

from .views import pages

app_name = "culture"

urlpatterns = [
    path("", pages.overview, name="overview"),
    path("settlements/<int:pk>/", pages.settlement_page, name="settlement"),
    path("households/<int:pk>/", pages.household_page, name="household"),
]
