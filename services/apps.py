from django.apps import AppConfig


class ServicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "services"
    verbose_name = "基本公共服务"

    def ready(self):
        # its capabilities (asked by every page's navigation), its dated rules (declared on import), the
        # indicators (tasks.indicators), the exporters (settlements.exports), the importers (settlements.imports),
        # the sections of its settlement and household pages
        from settlements import imports

        from . import (  # noqa: F401
            capabilities,
            exports,
            health_exports,
            health_indicators,
            health_rules,
            importing,
            indicators,
            property_rules,
            rule_data,
            rules,
            schooling_alerts,
            schooling_exports,
            schooling_rules,
            sections,
        )
        from .schooling_import import IMPORTERS as SCHOOLING_IMPORTERS

        for importer in (*importing.IMPORTERS, *SCHOOLING_IMPORTERS):
            imports.register(importer)
        watch_dated_facts()


def watch_dated_facts():
    """The services' dated facts: its indicators' snapshots as of a day depend on them."""
    from settlements.dated_facts import watch

    from .models import (
        CadrePosting,
        CitizenCard,
        Dibao,
        FamilyDoctorContract,
        HukouTransfer,
        IllnessScreening,
        InsuranceEnrolment,
        MedicalStaff,
        OneTimeRelief,
        SchoolEnrolment,
        ServiceDay,
        StudentAid,
    )

    period = ("start_date", "end_date")
    watch(InsuranceEnrolment, dates=period, fields=("person_id", "scheme"))
    watch(HukouTransfer, dates=("transferred_on",), fields=("person_id",))
    watch(CitizenCard, dates=("issued_on",), fields=("person_id",))
    watch(Dibao, dates=period, fields=("household_id", "kind"))
    watch(OneTimeRelief, dates=("granted_on",), fields=("household_id",))
    watch(CadrePosting, dates=period, fields=("settlement_id", "origin_township"))
    watch(ServiceDay, dates=("held_on",), fields=("settlement_id",))
    staff = ("facility_id", "role", "sex", "western_and_chinese")
    watch(MedicalStaff, dates=(*period, "trained_on"), fields=staff)
    watch(IllnessScreening, dates=("screened_on",), fields=("person_id",))
    watch(FamilyDoctorContract, dates=("signed_on", "valid_to"), fields=("household_id",))
    watch(SchoolEnrolment, dates=period, fields=("person_id", "level"))
    watch(StudentAid, dates=("granted_on",), fields=("person_id", "school_year", "scheme"))
