"""The test suite's own layout: tests mirror the package, and share only through support/.

A test module never imports another test module or a conftest (shared helpers and fakes
live in tests/support/, shared fixtures in conftest.py files); the samples' names are
defined once; each test folder mirrors a folder of the package.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from support.issues import REPO

TESTS = REPO / "tests"
PACKAGE = REPO / "newsletter_cli"
#: Names support/issues.py defines for everyone: no other module assigns them.
SHARED = {"SEPTEMBER", "APRIL", "REPO", "BASE", "API_KEY"}
#: Test folders that mirror no package folder, and why.
NOT_A_MIRROR = {
    "website": "newsletter_cli/site/ (tests/site would shadow Python's site module)",
    "docs": "the manual in docs/",
    "support": "the shared helpers and fakes",
}


def python_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "node_modules" not in p.parts)


def is_test_module(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def imported_test_modules(path: Path) -> list[str]:
    """Each import in ``path`` of a test module or a conftest, as `line: statement`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [a.name for a in node.names]
            relative_targets = names if node.level and not module else []
            if is_test_module(module) or any(map(is_test_module, relative_targets)):
                found.append(f"{node.lineno}: from {'.' * node.level}{module} import "
                             f"{', '.join(names)}")  # fmt: skip
        elif isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names
                      if is_test_module(a.name)]  # fmt: skip
    return found


def test_the_scan_sees_each_kind_of_test_import(tmp_path):
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "from .test_cli_send import ready\nfrom .conftest import API_KEY\n"
        "from delivery.test_kill_resume import wait_for\nfrom . import test_other\n"
        "import test_thing\nfrom support.issues import SEPTEMBER\nfrom .server import X\n"
        "def f():\n    from ..conftest import GROUP\n",
        encoding="utf-8",
    )
    assert [line.split(":")[0] for line in imported_test_modules(sample)] == [
        "1", "2", "3", "4", "5", "9"
    ]  # fmt: skip


def test_no_module_in_tests_imports_a_test_module_or_a_conftest():
    offenders = [f"{path.relative_to(REPO)}:{line}" for path in python_files()
                 for line in imported_test_modules(path)]  # fmt: skip
    assert not offenders, "import from tests/support/ instead:\n" + "\n".join(offenders)


def module_assignments(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])  # fmt: skip
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def test_the_shared_names_are_defined_once_in_support():
    support = TESTS / "support"
    twice = [f"{path.relative_to(REPO)}: {', '.join(sorted(module_assignments(path) & SHARED))}"
             for path in python_files()
             if support not in path.parents and module_assignments(path) & SHARED]  # fmt: skip
    assert not twice, "import these from support/ instead:\n" + "\n".join(twice)


def test_every_test_folder_mirrors_a_package_folder():
    folders = {p.parent for p in TESTS.rglob("*.py") if "node_modules" not in p.parts}
    strays = []
    for folder in sorted(folders - {TESTS}):
        relative = folder.relative_to(TESTS)
        if relative.parts[0] in NOT_A_MIRROR:
            continue
        if not (PACKAGE / relative).is_dir():
            strays.append(str(relative))
    assert not strays, f"no newsletter_cli/ folder of these names: {strays}"
    assert (PACKAGE / "site").is_dir() and not (TESTS / "site").exists()


def test_each_test_folder_is_a_package():
    """A folder with test modules has an __init__.py, so two test_cli.py in two folders are
    two modules (cli.test_cli, preview.test_cli), not one name imported twice."""
    missing = sorted(str(p.parent.relative_to(REPO)) for p in TESTS.rglob("test_*.py")
                     if p.parent != TESTS and not (p.parent / "__init__.py").is_file())  # fmt: skip
    assert not missing, missing


REPORTER = '''
def pytest_collection_finish(session):
    for item in session.items:
        marker = item.get_closest_marker("timeout")
        skips = [m.name for m in item.iter_markers() if m.name in ("skip", "skipif", "xfail")]
        seconds = marker.args[0] if marker else "-"
        print("ITEM", item.nodeid, seconds, ",".join(skips) or "-", sep="\\t")
'''


def collected(tmp_path: Path, *folders: str) -> dict[str, tuple[str, str]]:
    """node id -> (its timeout marker's seconds or "-", its skip marks or "-")."""
    (tmp_path / "timeout_reporter.py").write_text(REPORTER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "timeout_reporter",
         "-p", "no:cacheprovider", *folders],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows = [line.split("\t") for line in done.stdout.splitlines() if line.startswith("ITEM\t")]
    return {row[1]: (row[2], row[3]) for row in rows}


def test_tests_that_wait_on_a_server_or_browser_have_a_timeout_and_none_is_skipped(tmp_path):
    items = collected(tmp_path, "tests/preview", "tests/links", "tests/delivery/test_smtp_send.py",
                      "tests/delivery/test_sendgrid_send.py", "tests/journal/test_postgres.py",
                      "tests/test_calendar.py")  # fmt: skip
    by_module: dict[str, set[str]] = {}
    for nodeid, (seconds, _) in items.items():
        by_module.setdefault(nodeid.split("::")[0], set()).add(seconds)
    assert by_module["tests/preview/test_browser.py"] == {"240"}  # Chromium
    assert by_module["tests/preview/test_server.py"] == {"120"}  # the preview server
    assert by_module["tests/links/test_check.py"] >= {"120"}  # the link server
    assert by_module["tests/delivery/test_smtp_send.py"] == {"120"}  # the SMTP sink
    assert by_module["tests/delivery/test_sendgrid_send.py"] == {"180"}  # the fake SendGrid
    postgres = "tests/journal/test_postgres.py::test_"
    assert items[postgres + "a_journal_from_a_newer_release_is_refused"][0] == "240"
    assert items[postgres + "a_password_in_newsletter_toml_is_refused_and_not_echoed"][0] == "-"
    assert by_module["tests/test_calendar.py"] == {"-"}  # no server: pyproject's default
    skipped = sorted(nodeid for nodeid, (_, skips) in items.items() if skips != "-")
    assert not skipped, skipped


def test_the_default_timeout_is_set():
    import tomllib

    options = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = options["tool"]["pytest"]["ini_options"]
    assert pytest_options["timeout"] <= 300 and pytest_options["timeout_method"] == "thread"
