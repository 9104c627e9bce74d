from django.urls import path

from .views import committees, elections, pages

app_name = "governance"

urlpatterns = [
    *pages.PAGES.urls(),
    # residents' committees, the street office, mass organisations
    path("committees/", committees.committee_list, name="committees"),
    path("committees/new/", committees.committee_create, name="committee_create"),
    path("committees/<int:pk>/", committees.committee_detail, name="committee_detail"),
    path("committees/<int:pk>/edit/", committees.committee_edit, name="committee_edit"),
    path("committees/<int:pk>/steps/", committees.committee_step, name="committee_step"),
    path("committees/<int:pk>/members/new/", committees.member_create, name="member_create"),
    path("committees/<int:pk>/elections/new/", elections.election_create, name="election_create"),
    path("committee-members/<int:pk>/edit/", committees.member_edit, name="member_edit"),
    path("street-office/", committees.street_office, name="street_office"),
    path("street-office/new/", committees.street_office_create, name="street_office_create"),
    path("street-office/<int:pk>/edit/", committees.street_office_edit, name="street_office_edit"),
    path("street-office/<int:pk>/steps/", committees.street_office_step, name="street_office_step"),
    path("mass-organisations/", committees.mass_organisations, name="mass_organisations"),
    path("mass-organisations/export.xlsx", committees.mass_organisation_export, name="mass_organisation_export"),
    path("mass-organisations/new/", committees.mass_organisation_create, name="mass_organisation_create"),
    path("mass-organisations/<int:pk>/edit/", committees.mass_organisation_edit, name="mass_organisation_edit"),
    # elections and the voter list
    path("elections/", elections.election_list, name="elections"),
    path("elections/<int:pk>/", elections.election_detail, name="election_detail"),
    path("elections/<int:pk>/edit/", elections.election_edit, name="election_edit"),
    path("elections/<int:pk>/officers/new/", elections.officer_create, name="officer_create"),
    path("elections/<int:pk>/voters/", elections.voter_list, name="voter_list"),
    path("elections/<int:pk>/voters/export.xlsx", elections.voter_export, name="voter_export"),
    path("elections/<int:pk>/voters/sheet/", elections.voter_sheet, name="voter_sheet"),
    path("elections/<int:pk>/voters/build/", elections.voter_build, name="voter_build"),
    path("elections/<int:pk>/voters/add/", elections.voter_add, name="voter_add"),
    path("elections/<int:pk>/voters/post/", elections.voter_post, name="voter_post"),
    path("elections/<int:pk>/candidates/new/", elections.candidate_create, name="candidate_create"),
    path("elections/<int:pk>/announce/", elections.results_announce, name="results_announce"),
    path("elections/<int:pk>/file/", elections.election_file, name="election_file"),
    path("voters/<int:pk>/strike/", elections.voter_strike, name="voter_strike"),
    path("voters/<int:pk>/restore/", elections.voter_restore, name="voter_restore"),
    path("candidates/<int:pk>/edit/", elections.candidate_edit, name="candidate_edit"),
]
