"""The preview server over plain HTTP: what it serves, where it listens, how it fails."""

from __future__ import annotations

import http.client
import json
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsletter_cli.errors import InputError, NewsletterError, Refused
from newsletter_cli.model.issue import load_issue
from newsletter_cli.preview import DEFAULT_PORT, PreviewServer
from newsletter_cli.project import Project

from .helpers import BROKEN_YAML, DCS_ONLY, EVENTS, ISSUE_YAML, TITLE, write


def get(server: PreviewServer, path: str = "/", host: str | None = None):
    """(status, headers, body text) for a GET on the server, optionally with another Host."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    headers = {"Host": host} if host else {}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read().decode("utf-8")
    conn.close()
    return response.status, dict(response.getheaders()), body


def version(server: PreviewServer) -> str:
    return json.loads(get(server, "/version")[2])["version"]


def test_listens_on_loopback_only(server: PreviewServer) -> None:
    assert server._httpd.server_address[0] == "127.0.0.1"
    assert urlsplit(server.url).hostname == "127.0.0.1"


@pytest.mark.parametrize("host", ["0.0.0.0", "", "192.168.1.10", "localhost", "::"])
def test_refuses_any_other_address(issue_path: Path, project: Project, host: str) -> None:
    with pytest.raises(Refused, match="only listens on 127.0.0.1"):
        PreviewServer(issue_path, project, host=host, port=0)


def test_page_has_the_issue_at_both_widths(server: PreviewServer) -> None:
    status, headers, body = get(server)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert f"<title>Preview: {TITLE}</title>" in body
    assert 'id="desktop"' in body and 'width="600"' in body
    assert 'id="phone"' in body and 'width="375"' in body
    assert body.count("srcdoc=") == 2
    for event in EVENTS:
        assert event in body
    assert "Preview test: autumn events" in body  # the subject, in the inbox line
    assert "Two events and a note for directors." in body  # the preheader
    assert "regional.team@example.org" in body  # the sender, from newsletter.toml
    assert 'id="text-part"' in body and 'id="checks"' in body
    assert 'id="problems"' not in body


def test_the_bare_email_is_served_too(server: PreviewServer) -> None:
    status, _, body = get(server, "/email.html")
    assert status == 200
    assert TITLE in body and "<html" in body.lower()
    assert "%unsubscribe_url%" not in body


def test_version_changes_when_the_issue_is_saved(server: PreviewServer, project_dir: Path,
                                                 issue_path: Path) -> None:
    before = version(server)
    assert version(server) == before
    write(project_dir / issue_path, ISSUE_YAML.replace(TITLE, "Renamed Bulletin"))
    after = version(server)
    assert after != before
    assert "Renamed Bulletin" in get(server)[2]


def test_version_changes_when_a_template_or_the_recipients_change(
    server: PreviewServer, project_dir: Path
) -> None:
    first = version(server)
    template = next((project_dir / "templates").rglob("*.j2"))
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = version(server)
    assert second != first
    contacts = project_dir / "recipients" / "contacts.csv"
    contacts.write_text(contacts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert version(server) != second


def test_a_broken_save_is_shown_on_the_page_and_the_next_good_save_recovers(
    server: PreviewServer, project_dir: Path, issue_path: Path
) -> None:
    write(project_dir / issue_path, BROKEN_YAML)
    with pytest.raises(InputError) as expected:
        load_issue(issue_path)
    message = str(expected.value)
    assert message.startswith("issues/preview-test.yaml:2: ")

    status, _, body = get(server)
    assert status == 200
    assert 'id="problems"' in body and 'role="alert"' in body
    assert message.replace("'", "&#x27;") in body
    assert 'id="desktop"' not in body

    write(project_dir / issue_path, ISSUE_YAML)
    status, _, body = get(server)
    assert status == 200 and 'id="problems"' not in body and TITLE in body


def test_a_list_shows_that_audience_personalised(server: PreviewServer) -> None:
    _, _, everyone = get(server)
    assert DCS_ONLY in everyone
    _, _, dcs = get(server, "/?list=dcs")
    assert DCS_ONLY in dcs
    assert '<option value="dcs" selected>' in dcs
    assert "personalised for Dr Aisha Ashworth" in dcs
    _, _, team = get(server, "/?list=regional-team")
    assert DCS_ONLY not in team
    assert EVENTS[0] in team


def test_default_list_comes_from_the_command_and_blank_means_everyone(
    issue_path: Path, project: Project
) -> None:
    with PreviewServer(issue_path, project, list_name="regional-team", port=0) as server:
        assert DCS_ONLY not in get(server)[2]
        assert DCS_ONLY in get(server, "/?list=")[2]


def test_an_unknown_list_is_a_message_not_a_crash(server: PreviewServer) -> None:
    status, _, body = get(server, "/?list=nobody")
    assert status == 200
    assert "no list named &#x27;nobody&#x27;" in body
    assert 'id="desktop"' not in body


def test_requests_for_another_host_name_are_refused(server: PreviewServer) -> None:
    status, _, body = get(server, "/", host="evil.example:80")
    assert status == 403
    assert TITLE not in body
    assert get(server, "/", host=f"localhost:{server.port}")[0] == 200


def test_unknown_paths_are_not_found(server: PreviewServer) -> None:
    assert get(server, "/etc/passwd")[0] == 404


def test_stop_frees_the_port(issue_path: Path, project: Project) -> None:
    server = PreviewServer(issue_path, project, port=0).start()
    port = server.port
    assert get(server)[0] == 200
    server.stop()
    server.stop()  # twice is harmless
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_stop_before_start_does_not_hang(issue_path: Path, project: Project) -> None:
    PreviewServer(issue_path, project, port=0).stop()


def test_a_busy_port_is_a_clear_error(issue_path: Path, project: Project) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(NewsletterError, match=f"cannot listen on 127.0.0.1:{port}") as err:
            PreviewServer(issue_path, project, port=port)
        assert "--port 0" in (err.value.hint or "")


def test_the_default_port_falls_back_to_a_free_one_when_busy(
    issue_path: Path, project: Project
) -> None:
    with socket.socket() as taken:
        try:
            taken.bind(("127.0.0.1", DEFAULT_PORT))
            taken.listen()
        except OSError:
            pass  # something else already holds it: the fallback is needed all the same
        server = PreviewServer(issue_path, project)
        try:
            assert server.port != DEFAULT_PORT
        finally:
            server.stop()


def test_a_missing_issue_file_stops_at_once(project: Project) -> None:
    with pytest.raises(InputError, match="no such file"):
        PreviewServer(Path("issues/nope.yaml"), project, port=0)


def test_a_bug_while_gathering_is_shown_and_serving_goes_on(
    server: PreviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("gather exploded")

    monkeypatch.setattr("newsletter_cli.preview.server.gather", broken)
    status, _, body = get(server, "/?list=dcs")
    assert status == 200
    assert "internal error: RuntimeError: gather exploded" in body
    assert get(server, "/version")[0] == 200


def test_a_bug_in_the_page_is_a_one_line_500_not_a_dead_server(
    server: PreviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> str:
        raise RuntimeError("page exploded")

    monkeypatch.setattr("newsletter_cli.preview.server.render_page", broken)
    status, _, body = get(server)
    assert status == 500
    assert body == "internal error: RuntimeError: page exploded (please report it)\n"
    assert get(server, "/version")[0] == 200
