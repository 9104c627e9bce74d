from django.urls import path

from .views import hukou, outreach, pages, schooling, social_security

app_name = "services"

urlpatterns = [
    path("", pages.overview, name="overview"),
    path("settlements/<int:pk>/", pages.settlement_page, name="settlement"),
    path("households/<int:pk>/", pages.household_page, name="household"),
    # 公共教育
    path("schooling/out-of-school/", schooling.out_of_school_list, name="out_of_school_list"),
    path("schooling/out-of-school.xlsx", schooling.out_of_school_export, name="out_of_school_export"),
    path("schooling/aid-gaps/", schooling.aid_gap_list, name="aid_gap_list"),
    path("schooling/aid-gaps.xlsx", schooling.aid_gap_export, name="aid_gap_export"),
    path("schooling/enrolments/", schooling.school_enrolment_list, name="school_enrolment_list"),
    path("schooling/enrolments/<int:pk>/", schooling.school_enrolment_edit, name="school_enrolment_edit"),
    path("schooling/enrolments/<int:pk>/visits/new/", schooling.dropout_visit_create, name="dropout_visit_create"),
    path("schooling/visits/<int:pk>/", schooling.dropout_visit_edit, name="dropout_visit_edit"),
    path("schooling/aid/<int:pk>/", schooling.student_aid_edit, name="student_aid_edit"),
    path("schooling/catchments/", schooling.catchment_page, name="catchments"),
    path("schooling/catchments/new/", schooling.catchment_create, name="catchment_create"),
    path("schooling/catchments/<int:pk>/", schooling.catchment_edit, name="catchment_edit"),
    path("persons/<int:pk>/school-enrolment/new/", schooling.school_enrolment_create, name="school_enrolment_create"),
    path("persons/<int:pk>/student-aid/new/", schooling.student_aid_create, name="student_aid_create"),
    # 社会保障
    path("insurance/", social_security.enrolment_list, name="enrolment_list"),
    path("insurance/enrolments.xlsx", social_security.enrolment_export, name="enrolment_export"),
    path("insurance/uninsured/", social_security.uninsured_list, name="uninsured_list"),
    path("insurance/uninsured.xlsx", social_security.uninsured_export, name="uninsured_export"),
    path("insurance/gaps/", social_security.gap_list, name="gap_list"),
    path("insurance/gaps.xlsx", social_security.gap_export, name="gap_export"),
    path("insurance/<int:pk>/", social_security.enrolment_edit, name="enrolment_edit"),
    path("persons/<int:pk>/insurance/new/", social_security.enrolment_create, name="enrolment_create"),
    path("dibao/", social_security.dibao_list, name="dibao_list"),
    path("dibao/dibao.xlsx", social_security.dibao_export, name="dibao_export"),
    path("dibao/<int:pk>/", social_security.dibao_edit, name="dibao_edit"),
    path("households/<int:pk>/dibao/new/", social_security.dibao_create, name="dibao_create"),
    path("relief/", social_security.relief_list, name="relief_list"),
    path("relief/relief.xlsx", social_security.relief_export, name="relief_export"),
    path("households/<int:pk>/relief/new/", social_security.relief_create, name="relief_create"),
    # 户籍和市民证
    path("hukou/", hukou.card_list, name="card_list"),
    path("hukou/citizen-cards.xlsx", hukou.card_export, name="card_export"),
    path("persons/<int:pk>/hukou-transfer/", hukou.transfer_edit, name="transfer_edit"),
    path("persons/<int:pk>/citizen-card/", hukou.card_edit, name="card_edit"),
    # 迁出地派驻干部、服务日
    path("cadres/", outreach.cadre_page, name="cadres"),
    path("cadres/postings.xlsx", outreach.posting_export, name="posting_export"),
    path("cadres/new/", outreach.posting_create, name="posting_create"),
    path("cadres/<int:pk>/", outreach.posting_edit, name="posting_edit"),
    path("service-days/", outreach.service_day_page, name="service_days"),
    path("service-days/service-days.xlsx", outreach.service_day_export, name="service_day_export"),
    path("service-days/new/", outreach.service_day_create, name="service_day_create"),
    path("service-days/<int:pk>/", outreach.service_day_edit, name="service_day_edit"),
]
