"""The package's imports point one way: no cycles, and (outside cli/) no hidden ones.

The layers themselves are the import-linter contract in pyproject.toml (`lint-imports`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

import newsletter_cli

PACKAGE = Path(newsletter_cli.__file__).parent
#: Modules of this package that pull in a heavy optional package when imported, so they
#: are imported inside the function that needs them (psycopg, jinja2 + mjml).
HEAVY = {"newsletter_cli.journal.postgres", "newsletter_cli.journal.migrate",
         "newsletter_cli.render.pipeline"}  # fmt: skip


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_package_has_no_import_cycle():
    graph = grimp.build_graph("newsletter_cli")
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("p.a", "p.b", "p.c", "p.d"):
        graph.add_module(name)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.a")
    graph.add_import(importer="p.c", imported="p.d")
    assert _cycles(graph) == [["p.a", "p.b", "p.c"]]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports_in_functions(path: Path) -> list[str]:
    """'module:line name' for each import of this package inside a function body."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom):
                target = inner.module or ""
                if inner.level:
                    base = package.split(".")[: len(package.split(".")) - inner.level + 1]
                    target = ".".join([*base, target] if target else base)
                targets = [target]
            elif isinstance(inner, ast.Import):
                targets = [alias.name for alias in inner.names]
            else:
                continue
            for target in targets:
                if target.split(".")[0] == "newsletter_cli" and target not in HEAVY:
                    found.append(f"{name}:{inner.lineno} {target}")
    return found


def test_modules_outside_cli_import_the_package_at_the_top():
    found = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        if "cli" not in path.relative_to(PACKAGE).parts[:1]
        for hit in _imports_in_functions(path)
    ]
    assert found == []
