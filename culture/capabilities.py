"""What the culture ledger lets a user do, in the portal's one permission vocabulary
(`settlements.capabilities`): it is read by those who read the registry and kept by those who keep the
households (the office, and clerks within their centre's settlements, as scope decides).

Views check these with `@capability_required(...)`, the services with `capabilities.require(...)`, templates
with `{% if can.keep_culture %}`.
"""

from settlements import capabilities

READ_CULTURE = capabilities.define(
    "read_culture",
    "查阅文化服务台账",
    capabilities.READ_REGISTRY.roles,
    "您的角色无权查看文化服务台账。",
)
KEEP_CULTURE = capabilities.define(
    "keep_culture",
    "维护文化服务台账（教育活动、新旧住房对比照片、评先选优、文艺作品）",
    capabilities.KEEP_HOUSEHOLDS.roles,
    "您的角色只能查阅，不能修改文化服务台账。",
)
