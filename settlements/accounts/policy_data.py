"""The security policy the portal starts with, and where it comes from. Loaded by migration 0011 (and, where
no policy row exists, e.g. in a test whose database was flushed, read as the policy in force); the security
administrator adds dated policies on the portal's security page, so this row is never edited.

GB/T 22239-2019 (信息安全技术 网络安全等级保护基本要求), level 3, 安全计算环境 · 身份鉴别 (8.1.4.1) a) and
d), quoted in `basis`: the standard asks for passwords that are changed periodically and for two combined
ways of authentication, one of them cryptographic, but fixes neither the period nor how many old passwords
may not return. The figures are issue 10's (`reading`): 90 days, the last 5 passwords, the second factor for
the office and the three administrators, configurable for other roles.
"""

import datetime

BASIS = (
    "《信息安全技术 网络安全等级保护基本要求》（GB/T 22239-2019）第三级 安全计算环境 身份鉴别："
    "“a）应对登录的用户进行身份标识和鉴别，身份标识具有唯一性，身份鉴别信息具有复杂度要求并定期更换；"
    "……d）应采用口令、密码技术、生物技术等两种或两种以上组合的鉴别技术对用户进行身份鉴别，"
    "且其中一种鉴别技术至少应使用密码技术来实现。”"
    "标准未规定更换周期和不得重复使用的历史密码数，本平台按等保测评要求（issue 10）取："
    "密码有效期90天，不得重复使用最近5次密码；领导小组办公室和系统管理员、安全管理员、安全审计员须使用"
    "口令加动态验证码（TOTP，基于HMAC的密码技术）登录，其他角色由安全管理员按需设定。"
)

FIRST_POLICY = {
    "valid_from": datetime.date(2019, 5, 20),  # the plan's date: the first policy holds for the whole record
    "password_max_age_days": 90,
    "password_history": 5,
    "second_factor_roles": ["office", "system_admin", "security_admin", "audit_admin"],
    "basis": BASIS,
}


def ensure_first_policy(SecurityPolicy) -> bool:
    """Add the first policy when there is none (the model class is passed in, so migrations can call it)."""
    if SecurityPolicy.objects.exists():
        return False
    SecurityPolicy.objects.create(**FIRST_POLICY)
    return True
