"""Every import declared (deptry), and requirements/lock.txt pins all of it with hashes."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

from support.issues import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    """Every requirement of the package and its extras (the package itself left out)."""
    project = PYPROJECT["project"]
    lines = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values()
                                         for r in extra)]  # fmt: skip
    names = {canonical(re.match(r"[A-Za-z0-9_.\-]+", line).group(0)) for line in lines}
    return names - {project["name"]}


def test_every_import_is_declared_and_the_package_imports_nothing_test_only():
    for args in (["."], ["newsletter_cli", "--optional-dependencies-dev-groups", "test,docs"]):
        done = subprocess.run([sys.executable, "-m", "deptry", *args], cwd=REPO,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_lock_file_pins_every_dependency_with_hashes():
    text = (REPO / "requirements" / "lock.txt").read_text(encoding="utf-8")
    pinned = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M))
    assert declared() <= {canonical(name) for name in pinned}, declared() - set(pinned)
    entries = re.split(r"\n(?=[A-Za-z])", text.split("\n", 2)[2])
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry)
    assert "make lock" in text.splitlines()[1]  # how to write it again


def test_bounds_match_what_the_code_relies_on():
    deps = {canonical(re.match(r"[A-Za-z0-9_.\-]+", d).group(0)): d
            for d in PYPROJECT["project"]["dependencies"]}  # fmt: skip
    assert all("<" in spec for name, spec in deps.items() if name != "tzdata"), deps
    assert {"playwright", "psycopg"}.isdisjoint(deps)  # extras: screenshots, team
    extras = PYPROJECT["project"]["optional-dependencies"]
    # the tool writes .ics itself; icalendar is only the tests' yardstick (Timezone.from_tzid)
    assert "icalendar" not in deps and "icalendar>=6.1,<8" in extras["test"]
    assert extras["screenshots"][0].startswith("playwright") and extras["team"][0].startswith(
        "psycopg[binary]")
    assert "newsletter[screenshots,team]" in extras["test"]


def test_make_installs_from_the_lock_file_then_the_package_without_its_dependencies():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "pip install --quiet --no-deps -e ." in makefile
    assert re.search(r"^lock: .*\n\t\$\(BIN\)/uv pip compile pyproject.toml", makefile, re.M)
    assert re.search(r"^test: .*\bdeps\b", makefile, re.M)
    assert re.search(r"^lint: .*\bdeps\b", makefile, re.M)
