"""The sample `init` writes: `check` and `send` give one verdict, links included.

A web server on 127.0.0.1 stands in for the sample's links (www.example.org); the web
edition's links are checked in the folder `publish` writes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsletter_cli.authoring.init_project import create_project
from newsletter_cli.cli import app

SAMPLE_SITE = "https://www.example.org/"


@pytest.fixture
def sample(tmp_path: Path, server, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder `init` made, its issue's links on the local server, its site published."""
    made = create_project(tmp_path / "news")
    text = made.issue.read_text(encoding="utf-8")
    for path in set(re.findall(rf"{re.escape(SAMPLE_SITE)}([\w./-]+)", text)):
        server.routes[f"/{path}"] = (200, 200, None)
    made.issue.write_text(text.replace(SAMPLE_SITE, f"{server.url}/"), encoding="utf-8")
    settings = made.root / "newsletter.toml"  # the privacy notice is linked from every email
    toml = settings.read_text(encoding="utf-8")
    for path in set(re.findall(rf"{re.escape(SAMPLE_SITE)}([\w./-]+)", toml)):
        server.routes[f"/{path}"] = (200, 200, None)
    toml = re.sub(r'^(privacy_url = ")https://www\.example\.org/', rf"\g<1>{server.url}/", toml,
                  flags=re.M)  # fmt: skip
    settings.write_text(toml, encoding="utf-8")
    monkeypatch.chdir(made.root)
    assert run("publish", "--all").exit_code == 0
    return made.issue.relative_to(made.root)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_check_says_ready_and_send_goes(sample, server):
    checked = run("check", str(sample))
    assert checked.exit_code == 0, checked.output
    assert "ready to send (0 errors" in checked.output
    assert "0 over the network" not in checked.output  # it did try the sample's links
    sent = run("send", str(sample), "--list", "everyone", "--yes")
    assert sent.exit_code == 0, sent.output
    assert list(Path("outbox").rglob("*.eml"))


def test_a_dead_link_fails_check_as_it_stops_send(sample, server):
    path = Path(sample)
    path.write_text(path.read_text(encoding="utf-8").replace(
        f"{server.url}/annual-report", f"{server.url}/missing"), encoding="utf-8")
    checked = run("check", str(sample))
    assert checked.exit_code == 1, checked.output
    assert "ready to send" not in checked.output
    assert f"{server.url}/missing: 404 Not Found" in checked.output
    sent = run("send", str(sample), "--list", "everyone", "--yes")
    assert sent.exit_code == 1, sent.output
    assert "1 link(s) do not work" in sent.output
    assert not Path("outbox").exists()


def test_good_links_are_tried_once_a_day(sample, server):
    assert run("check", str(sample)).exit_code == 0
    tried = dict(server.hits)
    again = run("check", str(sample))
    assert again.exit_code == 0 and server.hits == tried
    assert "from the last day's cache" in again.output


def test_no_links_says_links_not_tried_never_ready(sample, server):
    checked = run("check", str(sample), "--no-links")
    assert checked.exit_code == 0, checked.output
    assert "links not tried" in checked.output and "ready to send" not in checked.output
    assert server.hits == {}


def test_only_todo_links_say_ready_except(sample, server):
    path = Path(sample)
    text = path.read_text(encoding="utf-8")
    for name in ("annual-report", "webinar-1", "webinar-2"):
        text = text.replace(f'"{server.url}/{name}"', '"TODO"')
    path.write_text(text, encoding="utf-8")
    checked = run("check", str(sample), "--no-links")
    assert checked.exit_code == 1, checked.output
    assert "ready except 3 links still TODO" in checked.output
    path.write_text(re.sub(r"(?m)^subject: .*$", 'subject: "TODO"', text), encoding="utf-8")
    worse = run("check", str(sample), "--no-links")
    assert worse.exit_code == 1 and "ready except" not in worse.output


def test_a_dead_privacy_link_is_named_in_newsletter_toml(sample, server):
    settings = Path("newsletter.toml")
    settings.write_text(re.sub(r'^privacy_url = "[^"]*"', f'privacy_url = "{server.url}/gone"',
                               settings.read_text(encoding="utf-8"), flags=re.M),
                        encoding="utf-8")  # fmt: skip
    checked = run("check", str(sample))
    assert checked.exit_code == 1, checked.output
    line = next(n for n, text in enumerate(settings.read_text().splitlines(), start=1)
                if text.startswith("privacy_url"))  # fmt: skip
    assert f"newsletter.toml:{line}: error: {server.url}/gone: 410" in " ".join(checked.output.split())
    assert "[the email template]" not in checked.output
