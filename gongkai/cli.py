"""The ``gongkai`` console script: everything ``manage.py`` does, with default settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a Django management command with Gongkai's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai", *(sys.argv[1:] if argv is None else argv)])
