"""No function in the package is over 80 lines (the send path, delivery/, journal/ and
cli/send.py, has its own test in tests/test_function_length.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import newsletter_cli

PACKAGE = Path(newsletter_cli.__file__).parent
LIMIT = 80
#: Checked by test_no_function_over_80_lines_in_send_path.
SEND_PATH = ("delivery/", "journal/", "cli/send.py")


def long_functions(source: str, limit: int = LIMIT) -> list[tuple[str, int, int]]:
    """(name, first line, lines) of each function or method longer than ``limit`` lines,
    counted from its `def` to its last line (decorators left out, docstring in)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > limit:
                found.append((node.name, node.lineno, length))
    return found


def test_no_function_over_80_lines_outside_the_send_path():
    found = [
        f"{path.relative_to(PACKAGE).as_posix()}:{line} {name} ({length} lines)"
        for path in sorted(PACKAGE.rglob("*.py"))
        if not path.relative_to(PACKAGE).as_posix().startswith(SEND_PATH)
        for name, line, length in long_functions(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_rule_covers_the_rest_of_the_package():
    checked = [p for p in PACKAGE.rglob("*.py")
               if not p.relative_to(PACKAGE).as_posix().startswith(SEND_PATH)]  # fmt: skip
    names = {p.relative_to(PACKAGE).as_posix() for p in checked}
    assert {"cli/app.py", "cli/history.py", "recipients/contacts.py", "reports/html.py"} <= names
    assert not names & {"cli/send.py", "delivery/plan.py"}


def test_a_long_function_and_a_long_method_are_found():
    body = "\n".join(f"    x{n} = {n}" for n in range(80))
    source = f"def short():\n    pass\n\ndef long():\n{body}\n\nclass C:\n    def m(self):\n" + (
        "\n".join("    " + line for line in body.splitlines())
    )
    assert long_functions(source) == [("long", 4, 81), ("m", 87, 81)]
