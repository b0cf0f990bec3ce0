"""Backends are known by class, not by name: what a caller needs, it asks the class."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import newsletter_cli
from newsletter_cli.delivery.backends.base import Backend, SendContext
from newsletter_cli.delivery.backends.outbox import OutboxBackend
from newsletter_cli.delivery.backends.registry import BACKENDS, backend_class
from newsletter_cli.delivery.backends.sendgrid import SendGridBackend
from newsletter_cli.delivery.backends.smtp import SmtpBackend
from newsletter_cli.errors import ConfigError, DeliveryError, InputError, Refused

PACKAGE = Path(newsletter_cli.__file__).parent
NAMES = {"outbox", "sendgrid", "smtp"}
#: The only places a backend's name may be compared: the registry and the settings parser.
ALLOWED = {"delivery/backends/registry.py", "config.py"}


def _names_in(node: ast.AST) -> bool:
    """True for "smtp", or a tuple/list/set literal holding a backend's name."""
    if isinstance(node, ast.Constant):
        return node.value in NAMES
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_names_in(item) for item in node.elts)
    return False


def _is_backend_name(node: ast.AST) -> bool:
    """``backend.name``, ``record.backend``, ``plan.backend``: a backend's name."""
    if not isinstance(node, ast.Attribute):
        return False
    text = ast.unparse(node)
    return text.endswith(("backend.name", ".backend", "_backend.name")) or text == "backend_name"


def name_comparisons(source: str) -> list[int]:
    """Lines where ``source`` compares something with a backend's name."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            equality = any(isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) for op in node.ops)
            if any(_names_in(s) or (equality and _is_backend_name(s)) for s in sides):
                lines.append(node.lineno)
        elif isinstance(node, ast.MatchValue) and _names_in(node.value):
            lines.append(node.lineno)
        elif isinstance(node, ast.Name) and node.id == "backend_name":
            lines.append(node.lineno)
    return sorted(set(lines))


def test_no_code_compares_a_backend_name_outside_the_registry_and_settings():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where in ALLOWED:
            continue
        found += [f"{where}:{line}" for line in name_comparisons(path.read_text("utf-8"))]
    assert found == []


@pytest.mark.parametrize("code", [
    'if backend == "smtp": pass',
    'x = name in ("outbox", "sendgrid")',
    'x = "sendgrid" != plan.backend',
    'x = backend.name == other',
    'x = record.backend is not None and record.backend == kind',
    'match name:\n    case "outbox": pass',
])  # fmt: skip
def test_the_finder_finds_each_kind_of_comparison(code):
    assert len(name_comparisons(code)) == 1


def test_the_finder_leaves_other_comparisons_alone():
    code = 'x = mode == "live"\ny = send(backend="smtp")\nz = plan.backend is None'
    assert name_comparisons(code) == []


def test_the_registry_knows_each_backend_by_its_own_name():
    assert BACKENDS == {"outbox": OutboxBackend, "sendgrid": SendGridBackend, "smtp": SmtpBackend}
    assert all(issubclass(cls, Backend) for cls in BACKENDS.values())
    with pytest.raises(ConfigError, match="unknown backend 'fax'; use outbox, sendgrid or smtp"):
        backend_class("fax")


def test_each_class_says_what_it_can_do():
    can = {n: (c.delivers, c.can_schedule, c.has_sandbox, c.has_activity) for n, c in BACKENDS.items()}
    assert can == {"outbox": (False, False, False, False), "sendgrid": (True, True, True, True),
                   "smtp": (True, False, False, False)}  # fmt: skip


@pytest.mark.parametrize("cls", [OutboxBackend, SmtpBackend])
def test_the_refusals_are_the_base_classs(cls):
    with pytest.raises(InputError, match=f"the {cls.name} backend cannot schedule a send"):
        cls.refuse_unsupported(sandbox=False, scheduled=True)
    with pytest.raises(Refused, match=f"the {cls.name} backend has none"):
        cls.refuse_unsupported(sandbox=True, scheduled=False)
    assert "schedule" not in vars(cls) and "cancel" not in vars(cls)  # written once, in Backend


def test_sendgrid_refuses_nothing_it_can_do():
    SendGridBackend.refuse_unsupported(sandbox=True, scheduled=True)


def test_the_outbox_refuses_to_schedule_or_cancel(tmp_path):
    outbox = OutboxBackend(tmp_path, from_email="a@example.org", from_name="A", reply_to=None)
    with pytest.raises(DeliveryError, match="the outbox backend cannot schedule a send"):
        outbox.schedule()
    with pytest.raises(DeliveryError, match="the outbox backend has nothing to cancel"):
        outbox.cancel("batch")
    with pytest.raises(DeliveryError, match="cannot schedule"):
        outbox.send_batch(None, [], SendContext("s", "i", send_at=1))  # type: ignore[arg-type]
    outbox.close()  # the base's: nothing to let go of
