"""The sections of the services' settlement and household pages, one per topic, registered here in order with
the core's page sections (`settlements.page_sections`)."""

from settlements.page_sections import PageSections, Section

from .views import health, hukou, outreach, schooling, social_security

SECTIONS = PageSections("services")

SECTIONS.register(
    Section(
        "schooling",
        "义务教育和学生资助",
        order=10,
        settlement=schooling.settlement_section,
        settlement_template="services/sections/settlement_schooling.html",
        household=schooling.household_section,
        household_template="services/sections/household_schooling.html",
    ),
)
SECTIONS.register(
    Section(
        "health",
        "医疗卫生",
        order=20,
        settlement=health.settlement_section,
        settlement_template="services/sections/settlement_health.html",
        household=health.household_section,
        household_template="services/sections/household_health.html",
    )
)
SECTIONS.register(
    Section(
        "social_security",
        "社会保障",
        order=30,
        settlement=social_security.settlement_section,
        settlement_template="services/sections/settlement_social_security.html",
        household=social_security.household_section,
        household_template="services/sections/household_social_security.html",
    )
)
SECTIONS.register(
    Section(
        "hukou",
        "户籍和市民证",
        order=40,
        settlement=hukou.settlement_section,
        settlement_template="services/sections/settlement_hukou.html",
        household=hukou.household_section,
        household_template="services/sections/household_hukou.html",
    )
)
SECTIONS.register(
    Section(
        "cadres",
        "迁出地派驻干部",
        order=50,
        settlement=outreach.cadres_settlement_section,
        settlement_template="services/sections/settlement_cadres.html",
        household=outreach.cadres_household_section,
        household_template="services/sections/household_cadres.html",
    )
)
SECTIONS.register(
    Section(
        "service_days",
        "每月服务日",
        order=60,
        settlement=outreach.service_days_settlement_section,
        settlement_template="services/sections/settlement_service_days.html",
    )
)
SECTIONS.register(
    Section(
        "property_coops",
        "物业管理合作社或公司",
        order=70,
        settlement=health.property_coops_section,
        settlement_template="services/sections/settlement_property_coops.html",
    )
)
