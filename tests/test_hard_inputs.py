"""Hard inputs refused cleanly (issue 8, point 5): each is one line naming the file and
line, exit 2, nothing sent and nobody marked in the journal."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from newsletter_cli.checks.dates import london_today
from newsletter_cli.model.issue import load_issue
from newsletter_cli.model.parts import is_placeholder
from newsletter_cli.model.safety import MAX_NESTING

ISSUE = "issues/hard.yaml"


def clean_issue(**fields: str) -> str:
    """An issue that passes every check and sends; ``fields`` replace its lines' values."""
    today = london_today()
    values = {
        "title": '"Regional Update"',
        "subject": '"News this month"',
        "preheader": '"All the news"',
        "template": "regional-update",
        "view_online_url": '"https://updates.example.org/{slug}/"',
        "src": "https://example.org/photo.jpg",
        "href": "https://example.org/story",
        "body": '"See [the programme](https://example.org/programme)."',
        **fields,
    }
    return (
        f"title: {values['title']}\n"  # 1
        f"issue_date: {today}\n"  # 2
        f"subject: {values['subject']}\n"  # 3
        f"preheader: {values['preheader']}\n"  # 4
        f"template: {values['template']}\n"  # 5
        f"view_online_url: {values['view_online_url']}\n"  # 6
        "blocks:\n"  # 7
        "  - kind: article\n"  # 8
        "    heading: News\n"  # 9
        f"    body: {values['body']}\n"  # 10
        "    image:\n"  # 11
        f"      src: {values['src']}\n"  # 12
        "      alt: A photo of the award\n"  # 13
        f"      href: {values['href']}\n"  # 14
        "  - kind: event\n"  # 15
        "    title: Workshop\n"  # 16
        f"    start: {today + timedelta(days=7)} 10:00\n"  # 17
        "    links:\n      - text: Book a place\n        url: https://example.org/book\n"
    )


def write_issue(project_dir: Path, text: str | bytes) -> None:
    path = project_dir / ISSUE
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def assert_refused(result, project_dir: Path, where: str, words: str) -> None:
    """Exit 2, one error line naming ``where`` (file:line), nothing sent or journalled."""
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {where}: "), result.output
    assert words in errors[0], errors[0]
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not (project_dir / "outbox").exists()
    assert not (project_dir / ".newsletter" / "journal.sqlite").exists()


def send(invoke, *extra: str, env: dict[str, str] | None = None):
    return invoke("send", ISSUE, "--list", "dcs", "--yes", "--no-link-check", *extra, env=env)


def test_the_clean_issue_sends(invoke, project_dir):
    # The control case: every refusal below comes from the one field changed.
    write_issue(project_dir, clean_issue())
    result = send(invoke)
    assert result.exit_code == 0, result.output
    assert len(list((project_dir / "outbox").rglob("*.eml"))) == 14


@pytest.mark.parametrize(
    ("field", "value", "line", "words"),
    [
        ("src", "javascript:alert(1)", 12, 'block 1 (article "News"), image.src: a javascript: address'),
        ("src", "JavaScript:alert(1)", 12, "a javascript: address is not allowed"),
        ("src", '"java\\tscript:alert(1)"', 12, 'block 1 (article "News"), image.src: has a control character (U+0009)'),
        ("src", "data:image/png;base64,iVBORw0KGgo=", 12, "a data: address is not allowed"),
        ("src", "file:///etc/passwd", 12, "a file: address is not allowed"),
        ("href", "javascript:alert(1)", 14, 'block 1 (article "News"), image.href: a javascript: address'),
        ("href", "data:text/html,<script>x</script>", 14, "a data: address is not allowed"),
        ("view_online_url", "javascript:alert(1)", 6, "view_online_url: a javascript:"),
        ("view_online_url", "images/web.html", 6, "write a full address starting with https://"),
    ],
)
def test_unsafe_addresses_are_refused(invoke, project_dir, field, value, line, words):
    write_issue(project_dir, clean_issue(**{field: value}))
    assert_refused(send(invoke), project_dir, f"{ISSUE}:{line}", words)


def test_a_relative_image_path_is_allowed(project_dir):
    write_issue(project_dir, clean_issue(src="images/photo.jpg", href="stories/award.html"))
    issue = load_issue(project_dir / ISSUE)
    assert issue.blocks[0].image.src == "images/photo.jpg"


def test_an_unsafe_view_online_url_in_newsletter_toml_is_refused(invoke, project_dir):
    write_issue(project_dir, clean_issue(view_online_url="null"))
    config = project_dir / "newsletter.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('title = "Regional Update"\n',
                        'title = "Regional Update"\nview_online_url = "javascript:alert(1)//{slug}"\n')
    config.write_text(text, encoding="utf-8")
    line = text[: text.index("view_online_url =")].count("\n") + 1
    assert_refused(
        send(invoke), project_dir, f"{project_dir / 'newsletter.toml'}:{line}",
        "site.view_online_url: a javascript: address is not allowed",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value", "line", "words"),
    [
        ("subject", '"News\\r\\nBcc: everyone@example.org"', 3, "subject: has a line break (U+000D)"),
        ("subject", '"News\\tthis month"', 3, "subject: has a control character (U+0009)"),
        ("preheader", '"All the news\\x07"', 4, "preheader: has a control character (U+0007)"),
        ("preheader", '"All\\u2028the news"', 4, "preheader: has a line break (U+2028)"),
        ("title", "|\n  Regional\n  Update", 1, "title: has a line break (U+000A)"),
        ("title", '"Regional \\x1b[31mUpdate"', 1, "title: has a control character (U+001B)"),
    ],
)
def test_control_characters_in_the_envelope_are_refused(
    invoke, project_dir, field, value, line, words
):
    write_issue(project_dir, clean_issue(**{field: value}))
    assert_refused(send(invoke), project_dir, f"{ISSUE}:{line}", words)


@pytest.mark.parametrize("name", ["../../etc", "regional-update/../../x", "a/b", "a\\\\b", ".."])
def test_a_template_name_that_leads_outside_templates_is_refused(invoke, project_dir, name):
    write_issue(project_dir, clean_issue(template=f'"{name}"'))
    assert_refused(
        send(invoke), project_dir, f"{ISSUE}:5", "template: give the name of a folder in templates/"
    )


def test_a_nul_byte_in_the_issue_file_is_refused(invoke, project_dir):
    text = clean_issue().encode("utf-8").replace(b"heading: News", b"heading: Ne\x00ws")
    write_issue(project_dir, text)
    assert_refused(send(invoke), project_dir, f"{ISSUE}:9", "contains a NUL byte")


def test_a_nul_written_as_an_escape_is_refused(invoke, project_dir):
    write_issue(project_dir, clean_issue(body='"See the\\0 programme."'))
    assert_refused(
        send(invoke), project_dir, f"{ISSUE}:10",
        'block 1 (article "News"), body: has a control character (U+0000)',
    )  # fmt: skip


def test_a_nul_byte_in_the_lists_file_is_refused(invoke, project_dir):
    write_issue(project_dir, clean_issue())
    path = project_dir / "recipients" / "lists.yaml"
    path.write_bytes(path.read_bytes().replace(b"dcs:", b"dcs:\x00", 1))
    line = path.read_bytes()[: path.read_bytes().index(b"\x00")].count(b"\n") + 1
    assert_refused(send(invoke), project_dir, f"recipients/lists.yaml:{line}", "a NUL byte")


def test_a_nul_byte_in_a_contacts_file_is_refused(invoke, project_dir):
    write_issue(project_dir, clean_issue())
    with (project_dir / "recipients" / "contacts.csv").open("ab") as handle:
        handle.write(b"zed@dudley.example.org,Z\x00ed,Dudley,,dcs\n")
    line = (project_dir / "recipients" / "contacts.csv").read_bytes().count(b"\n")
    assert_refused(send(invoke), project_dir, f"recipients/contacts.csv:{line}", "a NUL byte")


def test_a_cell_over_the_csv_field_limit_is_refused(invoke, project_dir):
    write_issue(project_dir, clean_issue())
    path = project_dir / "recipients" / "contacts.csv"
    line = path.read_text(encoding="utf-8").count("\n") + 1
    with path.open("a", encoding="utf-8") as handle:
        handle.write('zed@dudley.example.org,"' + "Zed " * 40_000 + '",Dudley,,dcs\n')
    assert_refused(
        send(invoke), project_dir, f"recipients/contacts.csv:{line}",
        "a cell is longer than 131,072 characters",
    )  # fmt: skip


def test_yaml_nested_thousands_deep_is_refused(invoke, project_dir):
    write_issue(project_dir, clean_issue(body="[" * 5000 + "]" * 5000))
    assert_refused(send(invoke), project_dir, f"{ISSUE}:10", "nested too deeply")


def test_a_lists_file_nested_thousands_deep_sends(invoke, project_dir):
    write_issue(project_dir, clean_issue())
    path = project_dir / "recipients" / "lists.yaml"
    chain = "".join(f"chain{i}:\n  lists: [chain{i - 1}]\n" for i in range(2000, 0, -1))
    path.write_text(path.read_text(encoding="utf-8") + chain + "chain0:\n  lists: [dcs]\n",
                    encoding="utf-8")  # fmt: skip
    result = invoke("send", ISSUE, "--list", "chain2000", "--yes", "--no-link-check")
    assert result.exit_code == 0, result.output
    assert len(list((project_dir / "outbox").rglob("*.eml"))) == 14


@pytest.mark.parametrize(
    "host",
    [
        "ftp://127.0.0.1:9",
        "127.0.0.1:8080",
        "http://127.0.0.1:notaport",
        "http://127.0.0.1:99999",
        "http://127.0.0.1:9/v3/mail/send",
        "http://user:secret@127.0.0.1:9",
        "http://",
        "http://127.0.\n0.1:9",
        "http://127.0.0.1:9?x=1",
    ],
)
def test_an_unusable_sendgrid_api_host_is_refused_before_the_journal(invoke, project_dir, host):
    write_issue(project_dir, clean_issue())
    env = {"SENDGRID_API_KEY": "SG.test-key-for-the-host-check", "SENDGRID_API_HOST": host}
    for extra in ((), ("--dry-run",)):
        result = send(invoke, "--backend", "sendgrid", *extra, env=env)
        assert result.exit_code == 2, result.output
        assert result.output.startswith("error: SENDGRID_API_HOST must be http://HOST or ")
        assert "secret" not in result.output
        assert not (project_dir / ".newsletter").exists()


def test_a_real_url_that_mentions_todo_is_not_a_placeholder(project, project_dir):
    assert not is_placeholder("https://example.org/todo-list")
    assert not is_placeholder("https://tbc.example.org/events")
    assert all(is_placeholder(u) for u in ("TODO", "tbc", "TBC: booking form", "#", "", "http://"))
    from newsletter_cli.checks import run_checks

    write_issue(project_dir, clean_issue(body='"See [our to-do list](https://example.org/todo)."'))
    assert run_checks(load_issue(project_dir / ISSUE), project).ok
    write_issue(project_dir, clean_issue(body='"See [our to-do list](TODO)."'))
    assert not run_checks(load_issue(project_dir / ISSUE), project).ok


def test_emoji_codes_are_printed_as_written(invoke, project_dir):
    (project_dir / "issues" / ":x:.yaml").write_text(
        # A file name that is not a plain issue name needs a slug: (see issue.PLAIN_NAME).
        clean_issue(body="'[:thumbs_up: \\[bold\\]here\\[/bold\\]](TODO)'") + "slug: x-issue\n",
        encoding="utf-8",
    )
    result = invoke("check", "issues/:x:.yaml")
    assert result.exit_code == 1
    assert "issues/:x:.yaml:10: error: link \":thumbs_up: [bold]here[/bold]\" has a " in (
        result.output
    )
    assert "\u274c" not in result.output and "\U0001f44d" not in result.output
    missing = invoke("build", "issues/:x: not here.yaml")
    assert missing.exit_code == 2 and "issues/:x: not here.yaml: no such file" in missing.output


# -- Markdown nested deep enough to crash mjml-python --------------------------------------

CRASH_DEPTH = 20_000  # mjml-python 1.x segfaulted from about 9,000 in our measurement

RAW_RENDER = """
import sys
from mjml import mjml2html
from newsletter_cli.markdown import to_html
depth = int(sys.argv[1])
html = to_html("**" * depth + "x" + "**" * depth)
mjml2html("<mjml><mj-body><mj-section><mj-column><mj-text>" + html
          + "</mj-text></mj-column></mj-section></mj-body></mjml>")
print("rendered")
"""


def _python(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENDGRID")}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120)  # fmt: skip


def test_mjml_python_really_crashes_on_deep_nesting_so_the_limit_is_needed():
    crashed = _python("-c", RAW_RENDER, str(CRASH_DEPTH))
    assert crashed.returncode < 0, "mjml-python no longer crashes: the limit may be raised"
    safe = _python("-c", RAW_RENDER, str(MAX_NESTING * 20))  # twenty times the limit
    assert safe.returncode == 0 and "rendered" in safe.stdout


def test_markdown_nested_past_the_limit_is_refused_not_crashing(project_dir):
    body = '"' + "**" * CRASH_DEPTH + "x" + "**" * CRASH_DEPTH + '"'
    write_issue(project_dir, clean_issue(body=body))
    for command in (["check", ISSUE, "--no-links"], ["send", ISSUE, "--list", "dcs", "--yes", "--no-link-check"]):
        result = _python("-m", "newsletter_cli", *command, cwd=project_dir)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(
            f'error: {ISSUE}:10: block 1 (article "News"), body: the Markdown is nested {CRASH_DEPTH + 1} deep'
        ), result.stderr
    assert not (project_dir / "outbox").exists()
    assert not (project_dir / ".newsletter" / "journal.sqlite").exists()


def test_markdown_at_the_limit_renders(project_dir):
    nested = "**" * (MAX_NESTING - 1) + "x" + "**" * (MAX_NESTING - 1)
    write_issue(project_dir, clean_issue(body=f'"{nested}"'))
    result = _python("-m", "newsletter_cli", "build", ISSUE, cwd=project_dir)
    assert result.returncode == 0, result.stderr
    html = (project_dir / "build" / "hard" / "index.html").read_text(encoding="utf-8")
    assert "<strong>" * (MAX_NESTING - 1) + "x" + "</strong>" * (MAX_NESTING - 1) in html
