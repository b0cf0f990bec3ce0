"""No value from a file can add a header (issue 15, point 1).

The rows, subjects and sender names a hostile or careless colleague could write, sent
for real through the outbox and through SMTP to aiosmtpd on 127.0.0.1: the bytes
written hold no header line the tool did not write, and the value is named with its
file:line (a contacts row is left out; an issue or newsletter.toml is refused, exit 2).
Python 3.11.7 and 3.12.1 turn encoded words into raw line breaks (CVE-2024-6923), so on
them these rows reach the bytes unless the tool stops them itself.
"""

from __future__ import annotations

import email
import re
from datetime import date
from email import policy
from pathlib import Path

import pytest
from support.issues import SEPTEMBER

from .smtp_sink import SmtpSink

#: The rows from the issue: a Bcc header, then the same with a blank line (a new body).
BCC_NAME = "Fay =?utf-8?q?=0D=0ABcc=3A_evil3=40attacker=2Eexample?="
BODY_NAME = "Fay =?utf-8?q?=0D=0A=0D=0ABcc=3A_evil3=40attacker=2Eexample?="
HOSTILE_ROWS = (
    f"fay.one@dudley.example.org,{BCC_NAME},Dudley Council,SEND lead,send-lead",
    f"fay.two@dudley.example.org,{BODY_NAME},Dudley Council,SEND lead,send-lead",
)
INJECTED = re.compile(rb"(?im)^(bcc|x-subj-injected)\s*:")


def ready(project_dir: Path) -> None:
    """The September sample with its links filled in and its dates ahead of today."""
    path = project_dir / SEPTEMBER
    text = path.read_text(encoding="utf-8").replace("TODO", "https://example.org/more")
    path.write_text(text.replace("2025-", f"{date.today().year + 1}-"), encoding="utf-8")


def add_rows(project_dir: Path, *rows: str) -> int:
    """Append rows to contacts.csv; the line number of the first one."""
    path = project_dir / "recipients" / "contacts.csv"
    first = path.read_text(encoding="utf-8").count("\n") + 1
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(row + "\n" for row in rows))
    return first


def replace_line(path: Path, start: str, new: str) -> int:
    """Replace the line starting with ``start``; its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(start))
    lines[at] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def outbox_messages(project_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (project_dir / "outbox").rglob("*.eml")}


def assert_clean(data: bytes) -> None:
    """No injected header line, nothing from the hostile rows, two intact body parts."""
    assert not INJECTED.search(data.split(b"\r\n\r\n", 1)[0])
    assert b"evil3" not in data and b"attacker" not in data
    parsed = email.message_from_bytes(data, policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]


def named(output: str, line: int, address: str, name: str) -> bool:
    text = " ".join(output.split())  # the send screen may wrap long lines
    shown = repr(name if len(name) <= 60 else name[:60] + "…")
    return (
        f"left out, may belong on these lists: recipients/contacts.csv:{line}: {address}: "
        f"the name {shown} holds '=?'" in text and "row left out" in text
    )


def test_hostile_names_never_reach_an_outbox_file(invoke, project_dir):
    ready(project_dir)
    line = add_rows(project_dir, *HOSTILE_ROWS)
    result = invoke("send", SEPTEMBER, "--list", "send-network", "--yes")
    assert result.exit_code == 0, result.output
    written = outbox_messages(project_dir)
    assert written and "fay.one@dudley.example.org.eml" not in written
    assert "fay.two@dudley.example.org.eml" not in written
    for data in written.values():
        assert_clean(data)
    assert named(result.output, line, "fay.one@dudley.example.org", BCC_NAME)
    assert named(result.output, line + 1, "fay.two@dudley.example.org", BODY_NAME)


def test_hostile_names_never_reach_the_smtp_server(invoke, project_dir):
    ready(project_dir)
    line = add_rows(project_dir, *HOSTILE_ROWS)
    sink = SmtpSink().start()
    try:
        with open(project_dir / "newsletter.toml", "a", encoding="utf-8") as handle:
            handle.write(f'\n[smtp]\nhost = "127.0.0.1"\nport = {sink.port}\nsecurity = "none"\n')
        result = invoke("send", SEPTEMBER, "--list", "send-network", "--yes", "--backend", "smtp")
    finally:
        sink.stop()
    assert result.exit_code == 0, result.output
    assert sink.messages and not {"fay.one@dudley.example.org", "fay.two@dudley.example.org"} & {
        to for m in sink.messages for to in m.rcpt_tos
    }
    for message in sink.messages:
        assert_clean(message.data)
    assert named(result.output, line, "fay.one@dudley.example.org", BCC_NAME)
    assert named(result.output, line + 1, "fay.two@dudley.example.org", BODY_NAME)


SUBJECTS = {
    "encoded word": '"Update =?utf-8?q?=0D=0AX-Subj-Injected=3A_yes?="',
    "raw CR LF": '"Update\\r\\nX-Subj-Injected: yes"',
}


@pytest.mark.parametrize("field", ["subject", "title", "preheader"])
@pytest.mark.parametrize("form", SUBJECTS)
def test_a_subject_that_would_add_a_header_is_refused_with_its_line(
    invoke, project_dir, field, form
):
    ready(project_dir)
    line = replace_line(project_dir / SEPTEMBER, f"{field}:", f"{field}: {SUBJECTS[form]}")
    result = invoke("send", SEPTEMBER, "--list", "send-network", "--yes")
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    said = "holds '=?'" if form == "encoded word" else "a line break (U+000D)"
    assert f"{SEPTEMBER}:{line}: {field}: " in text and said in text
    assert not (project_dir / "outbox").exists()


SENDER_VALUES = {
    "from_name encoded word": ("from_name", '"Team =?utf-8?q?=0D=0AX-Subj-Injected=3A_yes?="'),
    "from_name raw CR LF": ("from_name", '"Team\\r\\nX-Subj-Injected: yes"'),
    "from_name Unicode line separator": ("from_name", '"Team\\u2028X-Subj-Injected: yes"'),
    "reply_to encoded word": ("reply_to", '"=?utf-8?q?=0D=0AX-Subj-Injected=3A_yes?=@example.org"'),
}


@pytest.mark.parametrize("case", SENDER_VALUES)
def test_a_sender_setting_that_would_add_a_header_is_refused_with_its_line(
    invoke, project_dir, case
):
    ready(project_dir)
    key, value = SENDER_VALUES[case]
    line = replace_line(project_dir / "newsletter.toml", f"{key} =", f"{key} = {value}")
    for command in (["check", SEPTEMBER], ["send", SEPTEMBER, "--list", "dcs", "--yes"]):
        result = invoke(*command)
        assert result.exit_code == 2, result.output
        text = " ".join(result.output.split())
        assert f"newsletter.toml:{line}: sender.{key}: holds " in text
        assert "not safe in an email header" in text
    assert not (project_dir / "outbox").exists()
