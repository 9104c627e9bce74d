"""What the public-services ledger lets a user do, in the portal's one permission vocabulary
(`settlements.capabilities`): it is read by those who read the registry and kept by those who keep the
households (the office, and clerks within their centre's settlements, as scope decides).

Views check these with `@capability_required(...)`, the services with `capabilities.require(...)`, templates
with `{% if can.keep_services %}`.
"""

from settlements import capabilities
from settlements.roles import Role

READ_SERVICES = capabilities.define(
    "read_services",
    "查阅基本公共服务台账",
    capabilities.READ_REGISTRY.roles,
    "您的角色无权查看基本公共服务台账。",
)
KEEP_SERVICES = capabilities.define(
    "keep_services",
    "维护基本公共服务台账（参保、户籍和市民证、低保和救助、派驻干部、服务日）",
    capabilities.KEEP_HOUSEHOLDS.roles,
    "您的角色只能查阅，不能修改基本公共服务台账。",
)
KEEP_CATCHMENTS = capabilities.define(
    "keep_catchments",
    "维护就学安排（各安置点、各迁出乡镇的就读学校）",
    [Role.OFFICE],
    "就学安排由领导小组办公室按县教育科技局的安排维护，您的角色只能查阅。",
)
