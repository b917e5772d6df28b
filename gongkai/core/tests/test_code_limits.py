"""Size and boundary limits that keep the code base readable (checked on the syntax tree).

* no module of the package over 700 lines (migrations excepted) — split it by what it does;
* no view function over 40 lines — move the rule into a service or selector;
* no module reaches into another module's private names (``services._helper``): give the
  helper a public name where it is shared.
"""

from __future__ import annotations

import ast
from pathlib import Path

import gongkai

ROOT = Path(gongkai.__file__).parent
MODULE_LINES = 700
VIEW_LINES = 40


def _modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_no_module_is_over_700_lines():
    """Every module (tests included, migrations excepted) has at most 700 lines."""
    long = [
        f"{p.relative_to(ROOT)}: {n}"
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MODULE_LINES
    ]
    assert not long, "split these modules:\n" + "\n".join(long)


def test_no_view_function_is_over_40_lines():
    """A function taking ``request`` first (a view) spans at most 40 lines from ``def``."""
    long = []
    checked = 0
    for path in _modules():
        if "tests" in path.parts:
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef) and node.args.args:
                if node.args.args[0].arg != "request":
                    continue
                checked += 1
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > VIEW_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {size}")
    assert checked > 100
    assert not long, "shorten these views:\n" + "\n".join(long)


def _imported_modules(tree: ast.Module) -> set[str]:
    """Local names bound to modules of the package (``import gongkai.x as y``, ``from gongkai.a
    import b`` where ``b`` is a module)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("gongkai"):
                    names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gongkai"):
            for alias in node.names:
                target = ROOT.parent / Path(*f"{node.module}.{alias.name}".split("."))
                if target.with_suffix(".py").exists() or (target / "__init__.py").exists():
                    names.add(alias.asname or alias.name)
    return names


def test_no_cross_module_use_of_private_names():
    """``module._name`` and ``from module import _name`` across modules of the package fail."""
    offenders = []
    for path in _modules():
        tree = _tree(path)
        modules = _imported_modules(tree)
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gongkai"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        offenders.append(f"{where}:{node.lineno} imports {alias.name}")
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                offenders.append(f"{where}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert not offenders, "give these a public name:\n" + "\n".join(offenders)
