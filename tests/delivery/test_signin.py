"""`newsletter login/logout sendgrid|smtp`: the keychain, then a real send that uses it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import keyring
import keyring.core
from keyring.backends import fail
from support.issues import SEPTEMBER
from support.sendgrid import API_KEY

from .smtp_sink import PASSWORD, USER, SmtpSink


def ready(project_dir: Path) -> None:
    """The September sample with its links filled in and its dates ahead of today."""
    path = project_dir / SEPTEMBER
    text = path.read_text(encoding="utf-8").replace("TODO", "https://example.org/more")
    path.write_text(text.replace("2025-", f"{date.today().year + 1}-"), encoding="utf-8")


def every_file_text(root: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace")
                     for p in root.rglob("*") if p.is_file())  # fmt: skip


def test_login_sendgrid_keeps_the_key_a_send_uses_it_and_logout_removes_it(invoke, project_dir,
                                                                          fake):  # fmt: skip
    ready(project_dir)
    stored = invoke("login", "sendgrid", input=f"{API_KEY}\n")
    assert stored.exit_code == 0, stored.output
    assert "Kept the SendGrid key in the keychain (newsletter / sendgrid)" in stored.output
    assert keyring.get_password("newsletter", "sendgrid") == API_KEY
    journal = invoke("journal")
    assert "SendGrid key: from the keychain (newsletter / sendgrid)" in journal.output
    env = {"SENDGRID_API_HOST": fake.url}
    sent = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "sendgrid", env=env)
    assert sent.exit_code == 0, sent.output
    assert fake.requests and all(r.authorized for r in fake.requests)
    outputs = stored.output + journal.output + sent.output
    assert API_KEY not in outputs + every_file_text(project_dir)

    gone = invoke("logout", "sendgrid")
    assert gone.exit_code == 0 and "Removed the SendGrid key from the keychain" in gone.output
    assert keyring.get_password("newsletter", "sendgrid") is None
    again = invoke("send", SEPTEMBER, "--list", "send-network", "--yes", "--backend", "sendgrid",
                   env=env)  # fmt: skip
    assert again.exit_code == 2 and "no SendGrid key" in again.output
    assert "newsletter login sendgrid" in again.output


def test_the_environment_variable_wins_over_the_keychain(invoke, project_dir, fake):
    ready(project_dir)
    invoke("login", "sendgrid", input="SG.an-old-key-in-the-keychain\n")
    env = {"SENDGRID_API_KEY": API_KEY, "SENDGRID_API_HOST": fake.url}
    journal = invoke("journal", env=env)
    assert "SendGrid key: from the environment variable SENDGRID_API_KEY" in journal.output
    sent = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "sendgrid", env=env)
    assert sent.exit_code == 0 and all(r.authorized for r in fake.requests), sent.output
    version = invoke("--version", env=env)
    assert "SendGrid key: from the environment variable SENDGRID_API_KEY" in version.output
    assert API_KEY not in journal.output + sent.output + version.output


def test_login_smtp_asks_twice_and_a_send_logs_in_with_it(invoke, project_dir):
    ready(project_dir)
    sink = SmtpSink(auth=True).start()
    try:
        with open(project_dir / "newsletter.toml", "a", encoding="utf-8") as handle:
            handle.write(f'\n[smtp]\nhost = "127.0.0.1"\nport = {sink.port}\n'
                         f'security = "none"\nuser = "{USER}"\n')  # fmt: skip
        mismatch = invoke("login", "smtp", input=f"{PASSWORD}\nsomething else\n")
        assert mismatch.exit_code != 0 and not keyring.get_password("newsletter", f"smtp:{USER}")
        stored = invoke("login", "smtp", input=f"{PASSWORD}\n{PASSWORD}\n")
        assert stored.exit_code == 0, stored.output
        assert f"the keychain (newsletter / smtp:{USER})" in stored.output
        journal = invoke("journal")
        assert f"SMTP password: from the keychain (newsletter / smtp:{USER})" in journal.output
        sent = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "smtp")
    finally:
        sink.stop()
    assert sent.exit_code == 0, sent.output
    assert sink.logins == ["PLAIN"] and sink.accepted
    everything = mismatch.output + stored.output + journal.output + sent.output
    assert PASSWORD not in everything + every_file_text(project_dir)
    gone = invoke("logout", "smtp")
    assert gone.exit_code == 0 and keyring.get_password("newsletter", f"smtp:{USER}") is None


def test_no_keychain_on_this_computer_is_one_line_and_exit_2(invoke, project_dir, monkeypatch):
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
    result = invoke("login", "sendgrid", input="SG.some-key-never-print-me\n")
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith(("error", "hint"))]
    assert lines[0].startswith("error: the system keychain cannot be used on this computer")
    assert lines[1] == "hint: set SENDGRID_API_KEY in the environment instead"
    assert "Traceback" not in result.output and "never-print-me" not in result.output
