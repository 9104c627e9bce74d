#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongjiang_portal.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (read the settings now)
    except ImproperlyConfigured as error:
        # Django would go on without its apps and fail later with "Models aren't loaded yet", hiding the reason.
        sys.exit(
            f"{error}\n本地开发和检查请设置 DEBUG=true（scripts/start 和 scripts/test 会设置所需的环境）。"
            "\nFor local work and checks set DEBUG=true (scripts/start and scripts/test set the environment)."
        )
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
