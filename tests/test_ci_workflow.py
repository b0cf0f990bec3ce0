"""The CI workflow (.github/workflows/test.yml): three systems, the README's command."""

from __future__ import annotations

import re
import tomllib

from ruamel.yaml import YAML
from support.issues import REPO

WORKFLOW = REPO / ".github" / "workflows" / "test.yml"


def jobs() -> dict:
    return YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]


def systems(job: dict) -> set[str]:
    runs_on = job["runs-on"]
    return set(job["strategy"]["matrix"]["os"]) if "matrix.os" in runs_on else {runs_on}


def commands(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_the_suite_runs_on_linux_windows_and_macos_with_python_311_and_312():
    found = {system: job for job in jobs().values() for system in systems(job)}
    assert set(found) == {"ubuntu-latest", "windows-latest", "macos-latest"}
    for job in found.values():
        assert job["strategy"]["matrix"]["python"] == ["3.11", "3.12"]
        assert job["timeout-minutes"] <= 60


def test_linux_runs_the_readmes_test_command_in_debian():
    linux = next(job for job in jobs().values() if systems(job) == {"ubuntu-latest"})
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^make test\b", readme, re.M)
    assert re.search(r"^\s*make test\s*$", commands(linux), re.M)
    assert linux["container"].endswith("-bookworm")  # Debian, whose packages make installs


def test_elsewhere_only_tests_marked_for_debian_or_posix_are_left_out():
    other = next(job for job in jobs().values() if "windows-latest" in systems(job))
    run = commands(other)
    assert "pip install --require-hashes -r requirements/lock.txt" in run
    assert "deptry ." in run
    selected = re.search(r'pytest -q -m "([^"]+)"', run).group(1)
    left_out = set(re.findall(r"not (\w+)", selected))
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    markers = {m.split(":")[0] for m in pyproject["tool"]["pytest"]["ini_options"]["markers"]}
    assert left_out == markers == {"browser", "spamassassin", "postgres", "posix"}
    assert selected == " and ".join(f"not {m}" for m in sorted(left_out, key=selected.find))
