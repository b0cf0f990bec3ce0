"""The tool without the POSIX-only modules Windows lacks (fcntl, pwd, grp, termios, resource).

A fresh interpreter blocks them (None in sys.modules: importing one raises ImportError,
as on Windows) and gives a stand-in ``msvcrt`` for the send lock (tests/support/windows_standin.py).
Then every module of newsletter_cli imports, and init, build, check, lists and a send to
the outbox run through the command line, in the folder `init` makes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from support.issues import REPO

SCRIPT = r"""
import importlib, json, os, pkgutil, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from support.windows_standin import POSIX_ONLY, block_posix
calls = block_posix()

import newsletter_cli
from typer.testing import CliRunner

imported = []
for module in pkgutil.walk_packages(newsletter_cli.__path__, "newsletter_cli."):
    if module.name.endswith("__main__"):
        continue  # runs the CLI when imported
    importlib.import_module(module.name)
    imported.append(module.name)

from newsletter_cli.cli import app

runner = CliRunner()
made = runner.invoke(app, ["init", "team-news"])
os.chdir("team-news")
issue = next(Path("issues").glob("*.yaml")).as_posix()
results = {"init": [made.exit_code, made.output]}
for name, args in {
    "build": ["build", issue],
    "check": ["check", issue, "--no-links"],
    "lists": ["lists"],
    "send": ["send", issue, "--list", "everyone", "--backend", "outbox", "--yes", "--no-link-check"],
}.items():
    done = runner.invoke(app, args)
    results[name] = [done.exit_code, done.output]
blocked = sorted(n for n in POSIX_ONLY if n in sys.modules and sys.modules[n] is None)
print(json.dumps({"imported": imported, "results": results, "lock_calls": len(calls),
                  "blocked": blocked}))
"""


def test_every_module_and_the_main_commands_work_without_posix_only_modules(tmp_path):
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(REPO / "tests")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    if os.name != "nt":  # on Windows they are missing anyway, and msvcrt is the real one
        assert seen["blocked"] == ["fcntl", "grp", "pty", "pwd", "resource", "termios", "tty"]
        assert seen["lock_calls"] >= 2  # the send lock went through msvcrt.locking
    expected = {
        f"newsletter_cli.{p.relative_to(REPO / 'newsletter_cli').with_suffix('').as_posix()}"
        .replace("/", ".").removesuffix(".__init__")
        for p in (REPO / "newsletter_cli").rglob("*.py")
        if p.name != "__main__.py" and "starter" not in p.parts
    }
    assert expected - {"newsletter_cli.__init__"} <= set(seen["imported"]) | {"newsletter_cli"}
    for name, (code, output) in seen["results"].items():
        assert code == 0, f"{name}: {output}"
    assert "Built Regional Update" in seen["results"]["build"][1]
    assert "links not tried (0 errors" in seen["results"]["check"][1]
    assert "everyone" in seen["results"]["lists"][1]
    assert "Nothing left this machine: 11 email file(s)" in seen["results"]["send"][1]
    assert len(list((tmp_path / "team-news" / "outbox").rglob("*.eml"))) == 11
