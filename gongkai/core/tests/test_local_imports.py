"""Dependencies point one way; an import inside a function says why it cannot be at the top.

A function-local import of a gongkai module hides an import cycle or a load-order constraint,
so each one carries a reason: a comment on the import line or on the line above it (a comment
above a block of such imports covers the block). Tests are not checked.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
#: Lint directives are not reasons; what remains of a comment must say something.
DIRECTIVE = re.compile(r"noqa(:\s*[A-Z]+\d+(,\s*[A-Z]+\d+)*)?|type:\s*ignore(\[[\w,-]+\])?")


def _is_gongkai(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level == 0 and (node.module or "").split(".")[0] == "gongkai"
    return any(a.name.split(".")[0] == "gongkai" for a in node.names)


def _function_local_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(func):
                if isinstance(node, ast.Import | ast.ImportFrom) and _is_gongkai(node):
                    found.append(node)
    return found


def _reason(line: str) -> bool:
    """True if the line carries a comment that says something besides lint directives."""
    if "#" not in line:
        return False
    comment = DIRECTIVE.sub("", line.split("#", 1)[1])
    return len(re.findall(r"[A-Za-z]{2,}", comment)) >= 2


def unexplained_imports(source: str) -> list[int]:
    """Line numbers of function-local gongkai imports without a reason comment."""
    lines = source.splitlines()
    imports = {
        n.lineno: n
        for n in sorted(_function_local_imports(ast.parse(source)), key=lambda n: n.lineno)
    }
    # A line inside a local import (first to last) belongs to that import.
    owner = {
        i: n for n in imports.values() for i in range(n.lineno, (n.end_lineno or n.lineno) + 1)
    }

    def explained(lineno: int) -> bool:
        while not _reason(lines[lineno - 1]):
            above = lineno - 1
            if above not in owner:  # the comment line above the import (or its block)
                return (
                    above >= 1
                    and lines[above - 1].lstrip().startswith("#")
                    and _reason(lines[above - 1])
                )
            lineno = owner[above].lineno  # a block of local imports shares the comment above it
        return True

    return [lineno for lineno in imports if not explained(lineno)]


def test_the_check_finds_imports_without_a_reason() -> None:
    source = "\n".join(
        [
            "from gongkai.core import audit",  # 1: module level, fine
            "def a():",
            "    from gongkai.x import y",  # 3: no reason
            "    # Cycle: x imports this module.",
            "    from gongkai.x import z",  # 5: reason above
            "    from gongkai.w import (",  # 6: same block
            "        v,",
            "    )",
            "    import json",  # 9: not ours
            "def b():",
            "    from gongkai.q import r  # noqa: F401",  # 11: a directive is no reason
            "    from gongkai.q import s  # registers the receivers on import",  # 12
            "def c():",
            "    x = 1",
            "    from gongkai.q import t",  # 15: the line above is code
        ]
    )
    assert unexplained_imports(source) == [3, 11, 15]


def test_every_function_local_import_of_gongkai_says_why() -> None:
    modules = [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if not {"tests", "migrations"} & set(p.relative_to(PACKAGE).parts)
    ]
    assert len(modules) > 100
    bad = [
        f"{p.relative_to(PACKAGE.parent)}:{n}"
        for p in modules
        for n in unexplained_imports(p.read_text(encoding="utf-8"))
    ]
    assert bad == [], (
        "move these imports to the top of the module, or say on the line above why they cannot "
        "be there (the cycle or the load order):\n" + "\n".join(bad)
    )
