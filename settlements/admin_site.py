"""The portal's Django admin: each model opens to the capabilities its ModelAdmin names (三员分立).

Every ModelAdmin declares `capabilities = (...)`: a user must hold all of them to see the model (its inlines
follow it). A ModelAdmin without them opens to nobody. `User.has_perm` and `User.has_module_perms` read this
one mapping, so the admin index lists each role's models only, and every admin page outside them is a 403:

- the system administrator (`manage_users`): reference data (units, work teams, settlements, buildings, the
  plan, the employment rules and employers) — no personal data;
- the office: the registry's households and persons and the imports (`keep_households` or `import_ledgers`
  with `see_all_settlements`: the admin is not scoped, so only a user who may see every settlement enters it);
- the audit administrator (`read_audit_trail`): the personal-data access log.

User accounts, roles, lockouts and the security policy are kept on the portal's own pages (`/users/`,
`/security/`), through services that check and audit every change.
"""

import functools

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from . import capabilities

MSG_NO_ADMIN = "您的角色无权进入管理后台。"


def _opening_capabilities() -> dict:
    """{model: capabilities} for every model the admin shows, inline models with their parent's."""
    opened = {}
    for model, model_admin in admin.site._registry.items():
        opened[model] = tuple(getattr(model_admin, "capabilities", ()))
    for model_admin in admin.site._registry.values():
        for inline in model_admin.inlines:
            opened.setdefault(inline.model, tuple(getattr(model_admin, "capabilities", ())))
    return opened


def opens(user, model) -> bool:
    needed = _opening_capabilities().get(model, ())
    return bool(needed) and all(capabilities.has(user, capability) for capability in needed)


def permits(user, perm: str) -> bool:
    """`User.has_perm`: "settlements.change_household" is allowed when the household's admin opens to `user`."""
    app_label, _, codename = perm.partition(".")
    _action, _, model_name = codename.partition("_")
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return opens(user, model)


def opens_app(user, app_label: str) -> bool:
    return any(model._meta.app_label == app_label and opens(user, model) for model in _opening_capabilities())


def enters_admin(user) -> bool:
    if user is None or not (user.is_authenticated and user.is_active):
        return False
    return any(opens(user, m) for m in _opening_capabilities())


class PortalAdminSite(admin.AdminSite):
    """The admin entered by the roles it opens models to; others get a 403, visitors the portal's login."""

    def has_permission(self, request):
        return enters_admin(request.user)

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @functools.wraps(view)
        def refuse_or_serve(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(MSG_NO_ADMIN)
            return guarded(request, *args, **kwargs)

        return refuse_or_serve

    def login(self, request, extra_context=None):
        """One login page for the portal and its admin (second factor and password rules included)."""
        if request.user.is_authenticated:
            raise PermissionDenied(MSG_NO_ADMIN)
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("login"))

    def password_change(self, request, extra_context=None):
        return redirect("password_change")
