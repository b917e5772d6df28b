"""``gongkai report <subcommand>``: annual-report tools (see :mod:`gongkai.reports.cli`)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.reports.cli import REGISTRY, load_builtin


class Command(BaseCommand):
    """Dispatch to a registered report subcommand."""

    help = "年度报告工具：parse（读取已发布报告）、check（核对勾稽关系）等"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        """Add one sub-parser per registered subcommand."""
        load_builtin()
        subparsers = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        subparsers.required = True
        for name, cls in sorted(REGISTRY.items()):
            sub = subparsers.add_parser(name, help=cls.help, description=cls.help)
            cls().add_arguments(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the chosen subcommand and exit with its status."""
        cls = REGISTRY[options["subcommand"]]
        out = getattr(self.stdout, "_out", sys.stdout)
        err = getattr(self.stderr, "_out", sys.stderr)
        status = cls().run(options, out, err)
        out.flush()
        if status:
            sys.exit(status)
