"""What the governance ledger lets a user do, in the portal's one permission vocabulary
(`settlements.capabilities`): it is read by those who read the registry and kept by those who keep the
households (the office, and clerks within their centre's settlements, as scope decides).

Views check these with `@capability_required(...)`, the services with `capabilities.require(...)`, templates
with `{% if can.keep_governance %}`.
"""

from settlements import capabilities

READ_GOVERNANCE = capabilities.define(
    "read_governance",
    "查阅社区治理台账",
    capabilities.READ_REGISTRY.roles,
    "您的角色无权查看社区治理台账。",
)
KEEP_GOVERNANCE = capabilities.define(
    "keep_governance",
    "维护社区治理台账（居委会和群团组织、选举和选民名单、居务公开、会议和协商、民主评议）",
    capabilities.KEEP_HOUSEHOLDS.roles,
    "您的角色只能查阅，不能修改社区治理台账。",
)
