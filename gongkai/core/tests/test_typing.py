"""Who acts is always typed: every ``by``/``user`` parameter outside the tests has a real type.

mypy (run by the test command over the whole package) allows untyped definitions outside the
strict modules; the actor is the exception, so that a ``by=None`` or a wrong object is caught.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
NAMES = {"by", "user"}


def _modules() -> list[Path]:
    return [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if not {"tests", "migrations"} & set(p.relative_to(PACKAGE).parts)
    ]


def untyped_actors(source: str) -> list[str]:
    """``name:line parameter`` for each by/user parameter without a type, or typed ``Any``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            if arg.arg not in NAMES:
                continue
            annotation = ast.unparse(arg.annotation) if arg.annotation else ""
            if annotation.replace("typing.", "") in {"", "Any", "Any | None", "object"}:
                found.append(f"{node.name}:{node.lineno} {arg.arg}")
    return found


def test_the_check_finds_untyped_actors() -> None:
    source = (
        "def a(*, by): ...\n"
        "def b(user: Any): ...\n"
        "def c(*, by: Actor, user: User | None = None): ...\n"
        "async def d(user: typing.Any = None): ...\n"
    )
    assert untyped_actors(source) == ["a:1 by", "b:2 user", "d:4 user"]


def test_every_by_and_user_parameter_is_typed() -> None:
    modules = _modules()
    assert len(modules) > 100
    bad = [
        f"{p.relative_to(PACKAGE.parent)} {where}"
        for p in modules
        for where in untyped_actors(p.read_text(encoding="utf-8"))
    ]
    assert bad == [], "type these parameters (core.actors.Actor or a model):\n" + "\n".join(bad)
