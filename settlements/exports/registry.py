"""The exporters the apps register: one class per identifier."""

from .exporters import Exporter

_registry: dict[str, type[Exporter]] = {}


def register(exporter_class: type[Exporter]) -> type[Exporter]:
    """Class decorator: `@exports.register` over an exporter class with its identifier, label and capability."""
    identifier = exporter_class.identifier
    if not identifier or not exporter_class.verbose_name or not hasattr(exporter_class, "capability"):
        raise ValueError(f"exporter {exporter_class.__qualname__} needs an identifier, a verbose_name and a capability")
    existing = _registry.get(identifier)
    if existing is not None and _name(existing) != _name(exporter_class):
        raise ValueError(f"exporter {identifier!r} is registered twice")
    _registry[identifier] = exporter_class
    return exporter_class


def get(identifier: str) -> type[Exporter]:
    try:
        return _registry[identifier]
    except KeyError:
        raise LookupError(f"no exporter is registered as {identifier!r}") from None


def all_exporters() -> list[type[Exporter]]:
    return sorted(_registry.values(), key=lambda exporter_class: exporter_class.identifier)


def _name(exporter_class) -> str:
    """Where a class is defined: the same class imported again (a module reloaded) registers once."""
    return f"{exporter_class.__module__}.{exporter_class.__qualname__}"
