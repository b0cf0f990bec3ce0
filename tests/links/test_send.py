"""`send` tries every link before a live send; a broken one stops it (unless --no-link-check)."""

from __future__ import annotations

import pytest
from support.links import ISSUE, line_of, point_site_at, write_issue

from newsletter_cli.delivery.plan import prepare_send
from newsletter_cli.delivery.request import SendRequest
from newsletter_cli.environment import Environment
from newsletter_cli.errors import CheckFailed
from newsletter_cli.project import Project
from newsletter_cli.site.publish import publish


@pytest.fixture
def sendable(project_dir, server) -> Project:
    """Our issue, published locally, with one dead booking link."""
    write_issue(project_dir, server.url, links={"Book a place": f"{server.url}/missing"})
    path = project_dir / ISSUE
    path.write_text(path.read_text(encoding="utf-8").replace(
        "https://alpha.nothing-here.invalid/register", f"{server.url}/ok"), encoding="utf-8")
    point_site_at(project_dir, f"{server.url}/site/")
    project = Project(project_dir)
    publish(project, [path])
    return project


def test_a_dead_link_blocks_a_live_send(invoke, sendable, server):
    result = invoke("send", ISSUE, "--list", "dcs", "--yes")
    assert result.exit_code == 1
    line = line_of(sendable.root / ISSUE, '- text: "Book a place"')
    assert f"{ISSUE}:{line}: 1 link(s) do not work; nothing was sent" in result.output.replace("\n", " ")
    assert "404 Not Found" in result.output and "--no-link-check" in result.output
    assert not (sendable.root / "outbox").exists()
    assert server.count("/missing") == 1


def test_no_link_check_sends_without_trying(invoke, sendable, server):
    result = invoke("send", ISSUE, "--list", "dcs", "--yes", "--no-link-check")
    assert result.exit_code == 0, result.output
    assert server.hits == {}
    assert list((sendable.root / "outbox").rglob("*.eml"))


def test_working_links_let_the_send_go_and_warnings_are_shown(invoke, sendable, server):
    path = sendable.root / ISSUE
    path.write_text(path.read_text(encoding="utf-8").replace(f"{server.url}/missing", f"{server.url}/found"))
    result = invoke("send", ISSUE, "--list", "dcs", "--yes")
    assert result.exit_code == 0, result.output
    assert f"warning: link: {server.url}/moved: has moved permanently (301)" in result.output
    assert list((sendable.root / "outbox").rglob("*.eml"))


def test_test_sends_and_the_library_default_do_not_try_links(invoke, sendable, server):
    result = invoke("send", ISSUE, "--test-to", "me@example.org", "--yes")
    assert result.exit_code == 0, result.output
    env = Environment.load(sendable)
    plan = prepare_send(env, SendRequest(ISSUE, ("dcs",), dry_run=True))
    assert plan.recipients and server.hits == {}
    with pytest.raises(CheckFailed, match="1 link\\(s\\) do not work"):
        prepare_send(env, SendRequest(ISSUE, ("dcs",), dry_run=True, link_check=True))


def test_a_redirect_into_another_hosts_network_blocks_a_live_send(invoke, sendable, server,
                                                                  internal):  # fmt: skip
    # The link is written with the name localhost; it redirects to the address 127.0.0.1,
    # another host, where an admin page stands for the office network.
    path = sendable.root / ISSUE
    server.routes["/to-admin"] = (302, 302, f"http://127.0.0.1:{internal.port}/admin/")
    link = f"http://localhost:{server.port}/to-admin"
    path.write_text(path.read_text(encoding="utf-8").replace(f"{server.url}/missing", link))
    result = invoke("send", ISSUE, "--list", "dcs", "--yes")
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    line = line_of(path, '- text: "Book a place"')
    assert f"{ISSUE}:{line}: 1 link(s) do not work; nothing was sent" in text
    assert (f"{link}: redirected (302) to http://127.0.0.1:{internal.port}/admin/: an internal "
            "address (127.0.0.1) of another host than the link's; not followed") in text
    assert internal.connections == 0 and internal.hits == {}
    assert not (sendable.root / "outbox").exists()


def test_a_redirect_to_a_file_blocks_a_live_send_and_opens_nothing(invoke, sendable, server):
    path = sendable.root / ISSUE
    server.routes["/to-file"] = (302, 302, "file:///nonexistent/path")
    path.write_text(path.read_text(encoding="utf-8").replace("/missing", "/to-file"))
    result = invoke("send", ISSUE, "--list", "dcs", "--yes")
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    assert "1 link(s) do not work; nothing was sent" in text
    assert (f"{server.url}/to-file: redirected (302) to file:///nonexistent/path: not a web "
            "address (only http: and https: are followed, not file:); not followed") in text
    assert "No such file" not in text and "Errno" not in text
    assert not (sendable.root / "outbox").exists()


def test_a_held_send_whose_link_died_is_not_handed_over(invoke, sendable, server, clock):
    from datetime import timedelta

    path = sendable.root / ISSUE
    path.write_text(path.read_text(encoding="utf-8").replace(f"{server.url}/missing", f"{server.url}/found"))
    when = (clock.now() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    held = invoke("send", ISSUE, "--list", "dcs", "--yes", "--at", when)
    assert held.exit_code == 0 and "Held in the journal" in held.output, held.output
    server.routes["/found"] = (404, 404, None)  # the booking page is taken down meanwhile
    clock.advance(days=2)
    due = invoke("send", "--due")
    assert due.exit_code == 1, due.output
    assert "1 link(s) do not work" in due.output and "it stays held" in due.output
    assert not (sendable.root / "outbox").exists()
    assert "not handed over: 1 link(s) do not work" in invoke("history").stdout
    server.routes.clear()  # back again: the next run hands it over
    assert invoke("send", "--due").exit_code == 0
    assert list((sendable.root / "outbox").rglob("*.eml"))
