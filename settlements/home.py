"""Home-page panels: what each app shows on the portal's home page, registered by the app that owns it.

The core's home page shows the registry's own summary and then every registered panel in order, so it names
no other app's pages. An app registers its panels in its `AppConfig.ready()`, as it registers its indicators:

    register_home_panel("tasks.shortcuts", "tasks/partials/home_shortcuts.html", order=100)

A panel's template is included with the page's context (`user`, `can`, ...) and `panel`, the dict its
`context` function returns for the request; a function that returns None hides the panel from that user.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from . import capabilities

PanelContext = Callable[[HttpRequest], dict | None]


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    order: int = 0
    context: PanelContext | None = None


@dataclass(frozen=True)
class ShownPanel:
    """A panel as one request shows it: its template and what its context function gave."""

    template: str
    context: dict


_panels: dict[str, HomePanel] = {}


def register_home_panel(key: str, template: str, *, order: int = 0, context: PanelContext | None = None) -> HomePanel:
    """Register a panel (once per key; registering the same panel again changes nothing)."""
    panel = HomePanel(key, template, order, context)
    if key in _panels and _panels[key] != panel:
        raise ValueError(f"home panel {key!r} is registered twice, differently")
    _panels[key] = panel
    return panel


def all_home_panels() -> list[HomePanel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.key))


def panels_for(request: HttpRequest) -> list[ShownPanel]:
    """The panels `request.user` sees, in order, each with its context."""
    shown = []
    for panel in all_home_panels():
        context = panel.context(request) if panel.context else {}
        if context is not None:
            shown.append(ShownPanel(panel.template, context))
    return shown


def audit_panel(request: HttpRequest) -> dict | None:
    """The audit administrator's way in to the audit trail (no one else sees the panel)."""
    return {} if capabilities.has(request.user, capabilities.READ_AUDIT_TRAIL) else None
