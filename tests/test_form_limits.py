"""Every text a form of the portal takes has a maximum length (the request as a whole is limited by
DATA_UPLOAD_MAX_MEMORY_SIZE and REQUEST_MAX_MB: tests/test_security_headers.py). A new app's forms and filters
join this test by being in the portal."""

import importlib
import pkgutil
import re
from pathlib import Path

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from settlements.forms import SEARCH_MAX_LENGTH


def portal_modules():
    """Every module of the portal's own apps (not migrations or commands), imported."""
    modules = []
    for config in apps.get_app_configs():
        path = Path(config.path)
        if not path.is_relative_to(settings.BASE_DIR) or path.is_relative_to(settings.BASE_DIR / ".venv"):
            continue
        modules.append(config.module)
        for info in pkgutil.walk_packages(config.module.__path__, f"{config.name}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                modules.append(importlib.import_module(info.name))
    return modules


def subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from subclasses(subclass)


def portal_classes(base):
    names = {module.__name__ for module in portal_modules()}
    return sorted({cls for cls in subclasses(base) if cls.__module__ in names}, key=lambda cls: cls.__qualname__)


def test_every_text_field_of_every_form_has_a_maximum_length():
    form_classes = portal_classes(forms.BaseForm)
    assert len(form_classes) > 20
    unlimited = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in form_classes
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField) and not field.max_length
    ]
    assert unlimited == []


def test_every_text_filter_has_a_maximum_length():
    filter_classes = portal_classes(django_filters.FilterSet)
    assert len(filter_classes) >= 4
    unlimited = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in filter_classes
        for name, field in cls.base_filters.items()
        if issubclass(field.field_class, forms.CharField) and not field.extra.get("max_length")
    ]
    assert unlimited == []


@pytest.mark.django_db
def test_a_search_too_long_is_refused_beside_the_box_not_a_500(client, users):
    client.force_login(users["office"])
    too_long = {"q": "杨" * (SEARCH_MAX_LENGTH + 1)}
    message = f"{SEARCH_MAX_LENGTH + 1}"  # Django's Chinese message names the length typed and the limit
    for name in ("household_list", "person_list", "tasks:task_list", "tasks:action_list", "employment:ledger"):
        page = client.get(reverse(name), too_long)
        assert page.status_code == 200, name
        content = page.content.decode()
        assert f'maxlength="{SEARCH_MAX_LENGTH}"' in content, name
        assert re.search(rf"invalid-feedback d-block[^>]*>[^<]*{SEARCH_MAX_LENGTH}[^<]*{message}", content), name
    assert client.get(reverse("employment:post_list"), too_long).status_code == 200
