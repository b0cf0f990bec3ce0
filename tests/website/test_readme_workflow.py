"""The manual's GitHub Pages workflow (docs/web-edition.md): valid YAML, installs the project,
uploads what it publishes."""

from __future__ import annotations

import re
import shlex

from ruamel.yaml import YAML
from support.issues import REPO


def workflow() -> dict:
    page = (REPO / "docs" / "web-edition.md").read_text(encoding="utf-8")
    section = page[page.index("## On GitHub Pages"):]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert block, "no ```yaml block under 'On GitHub Pages'"
    return YAML(typ="safe").load(block[1])


def steps(job: dict) -> list[dict]:
    return job["steps"]


def test_the_workflow_is_valid_yaml_for_github_actions():
    flow = workflow()
    assert flow["name"] and set(flow["jobs"]) == {"publish", "deploy"}
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert "main" in flow["on"]["push"]["branches"]  # YAML 1.2, as GitHub reads it: `on` is a string
    assert flow["jobs"]["deploy"]["needs"] == "publish"
    assert flow["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    uses = [s.get("uses", "") for job in flow["jobs"].values() for s in steps(job)]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)


def test_it_installs_the_project_and_uploads_the_folder_it_publishes(runner, finished):
    from newsletter_cli.cli import app

    job = workflow()["jobs"]["publish"]
    runs = [s["run"] for s in steps(job) if "run" in s]
    assert "pip install ." in runs
    command = shlex.split(next(r for r in runs if r.startswith("newsletter publish")))
    upload = next(s for s in steps(job) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert command[command.index("--out") + 1] == upload["with"]["path"]
    # Run that very command on the samples: the uploaded folder holds the whole site.
    result = runner.invoke(app, command[1:])
    assert result.exit_code == 0, result.output
    folder = finished.root / upload["with"]["path"]
    for name in ("index.html", "feed.xml", "sitemap.xml", "style.css",
                 "2025-09-regional-update/index.html", "2025-04-regional-update/index.html"):
        assert (folder / name).is_file(), name


def test_the_package_ships_the_built_in_web_templates():
    """`pip install .` (not editable) must carry newsletter_cli/site/web/: pyproject says so."""
    import tomllib

    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    globs = data["tool"]["setuptools"]["package-data"]["newsletter_cli.site"]
    web = REPO / "newsletter_cli/site/web"
    shipped = {p for g in globs for p in web.parent.glob(g)}
    assert shipped == {p for p in web.rglob("*") if p.is_file()}
