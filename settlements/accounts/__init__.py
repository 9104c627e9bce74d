"""Accounts and their security (三员分立, GB/T 22239-2019 level 3): the login with its second factor, password
expiry and history, the security policy, user accounts and role assignment, lockouts, and the audit of each
security event. The Django auth views are replaced by the pages here; `middleware.AccountGateMiddleware` keeps
a user on the pending step (second factor, password change) until it is done."""
