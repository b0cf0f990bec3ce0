"""`newsletter build` against MJML's own Node CLI, side by side: CPU time of each child process.

Both get the September sample's MJML (our Jinja2 template rendered, before MJML): `mjml`
turns it into HTML and inlines the template's CSS with juice; `newsletter build` does the
whole job as a user runs it (read the issue, Jinja2, MJML, premailer, text part, .eml, .ics).
The runs alternate, so both see the same machine load. CPU time is user + sys of the child,
from getrusage(RUSAGE_CHILDREN).

MJML 4 is installed from npm into benchmarks/.node/ (git-ignored) the first time.

Run: .venv/bin/python benchmarks/bench_mjml.py [runs]
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

#: Time the tool as installed: pip writes Python's bytecode cache at install time, so the
#: children may too (an environment's PYTHONDONTWRITEBYTECODE=1 would recompile every run).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

REPO = Path(__file__).resolve().parent.parent
NODE_PREFIX = REPO / "benchmarks" / ".node"
MJML_BIN = NODE_PREFIX / "node_modules" / ".bin" / "mjml"
ISSUE = "issues/2025-09-regional-update.yaml"


def install_mjml() -> Path:
    """MJML 4 from npm, once, into benchmarks/.node/."""
    if not MJML_BIN.exists():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("npm is needed to install MJML's Node CLI (apt-get install npm)")
        subprocess.run([npm, "install", "--silent", "--prefix", str(NODE_PREFIX), "mjml@4"],
                       check=True)
    return MJML_BIN


def cpu_of(command: list[str], cwd: Path, cache: Path | None = None) -> float:
    """User + sys CPU seconds of one child process run to completion."""
    env = dict(os.environ, XDG_CACHE_HOME=str(cache)) if cache else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def copy_project(root: Path) -> None:
    for part in ("issues", "recipients", "newsletter.toml"):
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        elif source.exists():
            shutil.copy2(source, root / part)


def september_mjml(root: Path) -> Path:
    """The MJML our template makes for the September issue, as a file for `mjml`."""
    sys.path.insert(0, str(REPO))
    from newsletter_cli.model.issue import load_issue
    from newsletter_cli.project import Project
    from newsletter_cli.render import pipeline

    project = Project(root)
    issue = load_issue(root / ISSUE)
    folder = pipeline.template_dir(issue, project)
    context = pipeline._context(issue, project, None, None, issue.subject)
    source = pipeline._environment(str(folder)).get_template(pipeline.HTML_TEMPLATE).render(context)
    path = root / "september.mjml"
    path.write_text(source, encoding="utf-8")
    return path


def main(runs: int = 10) -> None:
    mjml = install_mjml()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        copy_project(root)
        source = september_mjml(root)
        ours = [sys.executable, "-m", "newsletter_cli", "build", ISSUE]
        theirs = [str(mjml), str(source), "-o", str(root / "september-node.html")]
        cache = root / "cache"  # Jinja's compiled templates, as in ~/.cache/newsletter
        cpu_of(ours, root, cache)  # first runs: caches (Jinja bytecode, OS files) warm up
        cpu_of(theirs, root)
        times: dict[str, list[float]] = {"newsletter build": [], "mjml (Node CLI)": []}
        for _ in range(runs):
            times["newsletter build"].append(cpu_of(ours, root, cache))
            times["mjml (Node CLI)"].append(cpu_of(theirs, root))
        cold = statistics.median(cpu_of(ours, root, root / f"fresh-{n}") for n in range(3))
        version = subprocess.run([str(mjml), "--version"], capture_output=True, text=True).stdout
    print(f"September issue, {runs} runs each, alternating; CPU = user + sys of the child")
    for name, values in times.items():
        print(f"  {name:18s} median {statistics.median(values):.2f} s  "
              f"(min {min(values):.2f}, max {max(values):.2f})")
    ratio = statistics.median(times["newsletter build"]) / statistics.median(
        times["mjml (Node CLI)"])
    print(f"  ratio build / mjml: {ratio:.2f}")
    print(f"  newsletter build with no Jinja bytecode cache yet: {cold:.2f} s")
    print(f"  mjml {' '.join(version.split())}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
