"""What training and employment lets a user do, in the portal's one permission vocabulary
(`settlements.capabilities`): the ledger is read by those who read the registry and kept by those who keep
the households (the office, and clerks within their centre's settlements, as scope decides).

Views check these with `@capability_required(...)`, the services with `capabilities.require(...)`, templates
with `{% if can.keep_employment %}`.
"""

from settlements import capabilities

READ_EMPLOYMENT = capabilities.define(
    "read_employment",
    "查阅就业台账",
    capabilities.READ_REGISTRY.roles,
    "您的角色无权查看就业台账。",
)
KEEP_EMPLOYMENT = capabilities.define(
    "keep_employment",
    "维护就业台账（就业、培训、帮扶、岗位和推送）",
    capabilities.KEEP_HOUSEHOLDS.roles,
    "您的角色只能查阅，不能修改就业台账。",
)
