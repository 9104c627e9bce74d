from django.urls import path

from . import views

app_name = "employment"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("settlements/<int:pk>/", views.settlement_page, name="settlement"),
    path("labour/", views.ledger, name="ledger"),
    path("labour/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("persons/<int:pk>/", views.person_card, name="person"),
    path("persons/<int:pk>/jobs/new/", views.employment_create, name="employment_create"),
    path("persons/<int:pk>/profile/", views.profile_edit, name="profile"),
    path("persons/<int:pk>/conditions/new/", views.condition_create, name="condition_create"),
    path("persons/<int:pk>/training/new/", views.training_create, name="training_create"),
    path("jobs/<int:pk>/end/", views.employment_end, name="employment_end"),
    path("unemployment/<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("posts/", views.post_list, name="post_list"),
    path("posts/new/", views.post_edit, name="post_create"),
    path("posts/<int:pk>/", views.post_edit, name="post_edit"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("pushes/", views.push_list, name="push_list"),
    path("workshops/", views.workshop_list, name="workshop_list"),
    path("welfare-posts/", views.welfare_post_list, name="welfare_post_list"),
    path("employers/<int:pk>/", views.employer_detail, name="employer"),
    path("subsidies/", views.roster, name="roster"),
    path("subsidies/roster.xlsx", views.roster_export, name="roster_export"),
]
