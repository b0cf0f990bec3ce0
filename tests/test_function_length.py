"""A function does one step and fits a screen: none in the package is over 80 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import newsletter_cli

PACKAGE = Path(newsletter_cli.__file__).parent
LIMIT = 80
#: Where the limit holds today (the rest of the package follows).
SEND_PATH = ("delivery/", "journal/", "cli/send.py")


def long_functions(root: Path = PACKAGE, limit: int = LIMIT) -> list[str]:
    """'path:line name (n lines)' for every function or method longer than ``limit``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = (node.end_lineno or node.lineno) - first + 1
                if length > limit:
                    where = path.relative_to(root).as_posix()
                    found.append(f"{where}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_function_over_80_lines_in_send_path():
    found = [hit for hit in long_functions() if hit.startswith(SEND_PATH)]
    assert found == []


def test_the_finder_finds_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(LIMIT))
    (tmp_path / "long.py").write_text(f"def long():\n{body}\n\ndef short():\n    pass\n")
    assert long_functions(tmp_path) == [f"long.py:1 long ({LIMIT + 1} lines)"]
