"""Subcommands of ``gongkai report``: a small registry that other modules extend.

Each subcommand is a :class:`Subcommand` registered under its name; the management command
``report`` builds one argparse sub-parser per entry. The report builder adds ``build`` and
``import`` the same way::

    from gongkai.reports.cli import Subcommand, register

    @register
    class Build(Subcommand):
        name = "build"
        help = "…"
        def add_arguments(self, parser): ...
        def run(self, options, out, err) -> int: ...

Output (JSON) goes to ``out`` (standard output), messages to ``err`` (standard error), so the
output can be piped; ``run`` returns the exit status.
"""

from __future__ import annotations

import argparse
from typing import Any, ClassVar, TextIO

REGISTRY: dict[str, type[Subcommand]] = {}


class Subcommand:
    """One ``gongkai report <name>`` subcommand."""

    name: ClassVar[str] = ""
    help: ClassVar[str] = ""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Declare the subcommand's arguments."""

    def run(self, options: dict[str, Any], out: TextIO, err: TextIO) -> int:
        """Do the work; return the exit status."""
        raise NotImplementedError


def register(cls: type[Subcommand]) -> type[Subcommand]:
    """Register a subcommand class (usable as a decorator)."""
    REGISTRY[cls.name] = cls
    return cls


def load_builtin() -> None:
    """Import the modules that register the built-in subcommands."""
    from . import build, check_batch, compare, history_import, parse_check, pdf_fonts  # noqa: F401
