#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def reads_code_only(argv) -> bool:
    """`makemigrations --check` / `--dry-run` compares the models with the migrations and writes nothing: it
    needs no secret, so it runs on the local defaults when the environment sets none."""
    return len(argv) > 1 and argv[1] == "makemigrations" and bool({"--check", "--dry-run"} & set(argv[2:]))


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongjiang_portal.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (read the settings now)
    except ImproperlyConfigured as error:
        if reads_code_only(sys.argv) and "DEBUG" not in os.environ:
            os.environ["DEBUG"] = "true"  # the settings are read again, on their local defaults
            execute_from_command_line(sys.argv)
            return
        # Django would go on without its apps and fail later with "Models aren't loaded yet", hiding the reason.
        sys.exit(
            f"{error}\n本地开发和检查请设置 DEBUG=true（scripts/start 和 scripts/test 会设置所需的环境）。"
            "\nFor local work and checks set DEBUG=true (scripts/start and scripts/test set the environment)."
        )
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
