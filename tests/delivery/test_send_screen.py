"""The confirmation screen: From and Reply-To; when not to ask at all."""

from __future__ import annotations

from support.issues import SEPTEMBER, ready


def test_the_screen_shows_from_and_reply_to(invoke, project_dir):
    ready(project_dir)
    config = project_dir / "newsletter.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('reply_to = "regional.team@example.org"',
                                   'reply_to = "replies@example.org"'), encoding="utf-8")  # fmt: skip
    result = invoke("send", SEPTEMBER, "--list", "dcs", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "From        West Midlands Children's Services Regional Team " \
           "<regional.team@example.org>" in result.output  # fmt: skip
    assert "Reply-To    replies@example.org" in result.output


def test_a_test_send_does_not_ask(invoke, project_dir):
    ready(project_dir)
    result = invoke("send", SEPTEMBER, "--test-to", "me@example.org")  # no --yes, no terminal
    assert result.exit_code == 0, result.output
    assert "no terminal" not in result.output
    assert [p.name for p in (project_dir / "outbox").rglob("*.eml")] == ["me@example.org.eml"]


def test_lists_with_nobody_say_so_and_exit_0(invoke, project_dir):
    ready(project_dir)
    with (project_dir / "recipients" / "lists.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\nnobody:\n  description: A list nobody is on yet\n  tags: [dcs]\n"
                     "  exclude_tags: [dcs]\n")  # fmt: skip
    result = invoke("send", SEPTEMBER, "--list", "nobody")
    assert result.exit_code == 0, result.output
    assert "Nothing to send: the list(s) have nobody to send to." in result.output
    assert not (project_dir / "outbox").exists() and not (project_dir / ".newsletter").exists()
