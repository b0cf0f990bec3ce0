"""The tool as a team gets it: a wheel installed in a fresh venv, run in an empty folder.

The wheel is built from a copy of the sources (setuptools, no build isolation, no network)
and installed into a new virtual environment with no access to this repository. Its
dependencies come from the project's own .venv through a .pth file, so the test needs
nothing beyond what `make test` installed. Then `newsletter init` makes a folder and
build, check, publish, send --backend outbox and (with a browser) preview --screenshot
work there; the wheel's metadata is what a package index shows.
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import typer
from support.issues import REPO


def run(*command: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """(the venv's bin folder, an environment that runs it as a user would)."""
    root = tmp_path_factory.mktemp("install")
    source = root / "src"
    source.mkdir()
    for part in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / part, source / part)
    shutil.copytree(REPO / "newsletter_cli", source / "newsletter_cli",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check")
    run(*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w",
        root / "dist", "./src", cwd=root, env=env)  # fmt: skip
    wheel = next((root / "dist").glob("newsletter-*.whl"))
    run(sys.executable, "-m", "venv", "--without-pip", root / "venv", cwd=root, env=env)
    bin_dir = root / "venv" / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
               cwd=root, env=env).stdout.strip()  # fmt: skip
    deps = Path(typer.__file__).resolve().parent.parent  # this .venv's site-packages
    Path(site, "project-dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")
    run(*pip, "--python", python, "install", "--no-deps", "--no-index", "-q", wheel,
        cwd=root, env=env)  # fmt: skip
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", HOME=str(root / "home"),
               XDG_CACHE_HOME=str(root / "cache"), COLUMNS="100")  # fmt: skip
    return bin_dir, env


def test_init_then_build_check_send_publish_outside_the_repository(installed, tmp_path):
    bin_dir, env = installed
    newsletter = bin_dir / "newsletter"
    where = run(bin_dir / "python", "-c", "import newsletter_cli; print(newsletter_cli.__file__)",
                cwd=tmp_path, env=env).stdout  # fmt: skip
    assert where.startswith(str(bin_dir.parent)), where  # the installed copy, not the repo
    assert run(newsletter, "--version", cwd=tmp_path, env=env).stdout.startswith("newsletter ")

    made = run(newsletter, "init", "team-news", cwd=tmp_path, env=env).stdout
    folder = tmp_path / "team-news"
    assert "Created a newsletter folder in team-news" in made and "cd team-news" in made
    issue = next((folder / "issues").glob("*.yaml")).relative_to(folder)
    assert f"newsletter preview {issue.stem}" in made
    assert not (folder / "templates").exists()  # the built-in template, from the package

    built = run(newsletter, "build", issue, cwd=folder, env=env).stdout
    assert "Built Regional Update" in built and (folder / "build" / issue.stem / "index.html").is_file()
    checked = run(newsletter, "check", issue, "--no-links", cwd=folder, env=env).stdout
    assert "no errors, but links not tried (0 errors, 0 warnings" in checked
    published = run(newsletter, "publish", "--all", cwd=folder, env=env).stdout
    assert "Published 1 issue(s)" in published and (folder / "site" / "feed.xml").is_file()
    sent = run(newsletter, "send", issue, "--list", "everyone", "--backend", "outbox", "--yes",
               "--no-link-check", cwd=folder, env=env).stdout  # fmt: skip
    assert "Nothing left this machine: 11 email file(s)" in sent
    lists = run(newsletter, "lists", "--json", cwd=folder, env=env).stdout
    assert '"name": "everyone"' in lists

    # Without its own templates/ the folder uses the template inside the package.
    again = run(newsletter, "build", issue, "--out", "again", cwd=folder, env=env).stdout
    assert "Built Regional Update" in again and (folder / "again" / "index.html").is_file()


@pytest.mark.browser
def test_preview_screenshot_from_the_installed_tool(installed, tmp_path):
    bin_dir, env = installed
    run(bin_dir / "newsletter", "init", "team-news", cwd=tmp_path, env=env)
    folder = tmp_path / "team-news"
    issue = next((folder / "issues").glob("*.yaml")).relative_to(folder)
    shots = run(bin_dir / "newsletter", "preview", issue, "--screenshot", "shots", cwd=folder,
                env=env)  # fmt: skip
    assert len(list((folder / "shots").glob("*.png"))) == 2, shots.stdout


def test_the_wheel_carries_what_an_index_shows(installed):
    bin_dir, _ = installed
    wheel = next(bin_dir.parent.parent.glob("dist/newsletter-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_bytes(archive.read(name))
    assert meta["Name"] == "newsletter" and meta["Version"]
    assert meta["Summary"].startswith("Build, preview and send an email newsletter")
    assert meta["Description-Content-Type"] == "text/markdown"
    assert meta.get_payload().startswith("# ")  # the README, as the long description
    assert meta["License-Expression"] == "LicenseRef-Proprietary"  # until the team picks one
    classifiers = meta.get_all("Classifier")
    assert "Private :: Do Not Upload" in classifiers  # PyPI refuses it by mistake
    for system in ("Microsoft :: Windows", "MacOS", "POSIX :: Linux"):
        assert f"Operating System :: {system}" in classifiers
    assert {u.split(",")[0] for u in meta.get_all("Project-URL")} >= {"Homepage", "Source"}
    requires = meta.get_all("Requires-Dist")
    assert 'playwright<2,>=1.45; extra == "screenshots"' in requires
    assert not any(r.startswith(("playwright", "psycopg")) and "extra ==" not in r
                   for r in requires)  # fmt: skip
    assert not any(r.startswith("icalendar") and "extra ==" not in r for r in requires)


def test_the_wheel_lists_the_template_once(installed):
    bin_dir, _ = installed
    wheel = next(bin_dir.parent.parent.glob("dist/newsletter-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    templates = [n for n in names if "email.mjml.j2" in n]
    assert templates == ["newsletter_cli/starter/templates/regional-update/email.mjml.j2"]
    starter = {n for n in names if n.startswith("newsletter_cli/starter/")}
    on_disk = {
        p.relative_to(REPO).as_posix()
        for p in (REPO / "newsletter_cli" / "starter").rglob("*") if p.is_file()
    }
    assert starter == on_disk
