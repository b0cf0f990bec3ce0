"""`newsletter suppressions sync` against the fake SendGrid, with the real client."""

from __future__ import annotations

import csv
import os
import stat
import time
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from support.sendgrid import API_KEY
from support.sendgrid import SAMPLE_GROUP as GROUP

from newsletter_cli.delivery.sync_state import last_sync, stale_warning
from newsletter_cli.errors import AuthError, ConfigError
from newsletter_cli.project import Project
from newsletter_cli.recipients.roster import load_roster
from newsletter_cli.reports.sync import SYNC_FILE, sync_suppressions

AISHA = "aisha.ashworth@birminghamchildrenstrust.example.org"  # DCS: on send-network
BEN = "ben.bellamy@birminghamchildrenstrust.example.org"  # SEND lead: on send-network
CARYS = "carys.chaudhry@birminghamchildrenstrust.example.org"  # safeguarding: not send-network
STRANGER = "someone.else@elsewhere.test"  # on no list
LONDON = ZoneInfo("Europe/London")


def rows(project_dir) -> list[dict]:
    with open(project_dir / "recipients" / SYNC_FILE, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def get_params(fake, path: str) -> list[dict]:
    return [parse_qs(urlsplit(r.path).query) for r in fake.requests
            if urlsplit(r.path).path == path]  # fmt: skip


def test_pages_through_every_list_and_writes_a_sorted_file(project, project_dir, fake, api,
                                                           options):  # fmt: skip
    created = int(datetime(2025, 9, 30, 23, 30, tzinfo=LONDON).timestamp())  # 22:30 UTC
    for i in range(1234):
        fake.hold("bounces", f"gone{i:04d}@council.test", created)
    fake.hold("group", BEN, created, group=GROUP)
    fake.hold("unsubscribes", CARYS, created)
    fake.hold("blocks", AISHA, created)
    fake.hold("spam_reports", STRANGER, created)
    fake.hold("invalid_emails", "not-an-address@nowhere", created)
    result = sync_suppressions(project, api=api, **options)
    # paged as the spec says: limit 500, offset in steps of 500, until a short page
    pages = get_params(fake, "/v3/suppression/bounces")
    assert [(p["limit"], p["offset"]) for p in pages] == [
        (["500"], ["0"]), (["500"], ["500"]), (["500"], ["1000"])]
    written = rows(project_dir)
    assert len(written) == 1234 + 4 and len(result.new) == 1238
    assert [r["email"] for r in written] == sorted(r["email"] for r in written)
    by_email = {r["email"]: r for r in written}
    assert by_email[BEN] == {"email": BEN, "reason": "unsubscribed",
                             "source": f"sendgrid:group-{GROUP}", "date": "2025-09-30"}
    assert by_email[CARYS]["reason"] == "unsubscribed-all"
    assert by_email[AISHA]["reason"] == "blocked" and by_email[STRANGER]["reason"] == "spam-report"
    assert by_email["gone0001@council.test"]["date"] == "2025-09-30"  # UK day, not UTC's
    assert "not-an-address@nowhere" not in by_email and result.unusable
    text = (project_dir / "recipients" / SYNC_FILE).read_text()
    assert text.startswith("email,reason,source,date\n") and "\r" not in text


def test_a_second_run_changes_nothing_and_says_so(project, project_dir, fake, api, options):
    fake.hold("bounces", AISHA)
    fake.hold("group", BEN, group=GROUP)
    first = sync_suppressions(project, api=api, **options)
    assert len(first.new) == 2
    path = project_dir / "recipients" / SYNC_FILE
    before = path.read_bytes(), path.stat().st_mtime_ns
    again = sync_suppressions(project, api=api, **options)
    assert again.new == [] and (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert again.summary()[0].startswith("Nothing new: recipients/suppressions-sendgrid.csv "
                                         "already has every address SendGrid holds back (2)")


def test_never_removes_an_entry(project, project_dir, fake, api, options):
    fake.hold("bounces", AISHA)
    sync_suppressions(project, api=api, **options)
    path = project_dir / "recipients" / SYNC_FILE
    path.write_text(path.read_text() + f"{CARYS},do-not-contact,by hand,2025-01-02\n")
    fake.held.lists["bounces"].clear()  # SendGrid forgot the bounce
    fake.hold("bounces", BEN)
    sync_suppressions(project, api=api, **options)
    assert {(r["email"], r["reason"]) for r in rows(project_dir)} == {
        (AISHA, "bounced"), (BEN, "bounced"), (CARYS, "do-not-contact")}


def test_an_entry_in_the_file_keeps_the_address_off_every_list(project, fake, api, options):
    assert AISHA in [c.email for c in load_roster(project).resolve(["send-network"]).members]
    fake.hold("spam_reports", AISHA)
    sync_suppressions(project, api=api, **options)
    resolution = load_roster(project).resolve(["send-network", "everyone"])
    assert AISHA not in [c.email for c in resolution.members]
    assert f"spam-report (recipients/{SYNC_FILE}:2)" == resolution.reason(
        next(c for c in resolution.suppressed if c.email == AISHA))


def test_cli_reports_what_is_new_by_list(invoke, project_dir, fake, env):
    fake.hold("bounces", AISHA)
    fake.hold("bounces", BEN)
    fake.hold("group", BEN, group=GROUP)
    fake.hold("blocks", STRANGER)
    result = invoke("suppressions", "sync", env=env)
    assert result.exit_code == 0, result.output
    assert "4 new added to recipients/suppressions-sendgrid.csv (4 entries now)" in result.output
    assert "  send-network: 2 bounced, 1 unsubscribed\n" in result.output
    assert "  dcs: 1 bounced\n" in result.output
    assert "  not on any list: 1 blocked\n" in result.output
    assert API_KEY not in result.output
    again = invoke("suppressions", "sync", env=env)
    assert again.exit_code == 0 and "Nothing new" in again.output


def test_dry_run_writes_nothing(invoke, project_dir, fake, env):
    fake.hold("bounces", AISHA)
    result = invoke("suppressions", "sync", "--dry-run", env=env)
    assert result.exit_code == 0, result.output
    assert "1 new would be added to" in result.output and "Dry run: nothing was written." in (
        result.output)
    assert not (project_dir / "recipients" / SYNC_FILE).exists()
    assert last_sync(Project(project_dir)) is None


def test_the_spec_example_bodies_sync(project, project_dir, fake, api, options):
    config = project_dir / "newsletter.toml"
    config.write_text(config.read_text().replace("unsubscribe_group = 12345",
                                                 "unsubscribe_group = 2"))  # fmt: skip
    fake.load_examples()
    sync_suppressions(project, api=api, **options)
    found = {(r["email"], r["reason"]) for r in rows(project_dir)}
    assert {("example@example.com", "bounced"), ("example1@example.com", "blocked"),
            ("user1@example.com", "spam-report"), ("user2@example.com", "unsubscribed-all"),
            ("user1@example.com", "invalid"),
            ("test1@example.com", "unsubscribed"), ("test2@example.com", "unsubscribed"),
            } <= found  # fmt: skip
    assert len([r for r in rows(project_dir) if r["email"] == "example@example.com"
                and r["reason"] == "bounced"]) == 1  # the example lists it twice  # fmt: skip


def test_429_is_waited_out_as_the_headers_say(project, fake, api, options, sleeps):
    fake.rate_reset_in = 1
    fake.hold("blocks", AISHA)
    fake.will_api("/v3/suppression/blocks", "429", "429")
    result = sync_suppressions(project, api=api, **options)
    assert [r[0] for r in result.new] == [AISHA]
    assert len(sleeps) == 2 and all(0 <= s <= 2 for s in sleeps)


@pytest.mark.parametrize("missing", ["suppression.spam_reports.read",
                                     "asm.groups.suppressions.read"])
def test_403_names_the_permission_the_key_lacks(project, fake, api, options, missing):
    from support.sendgrid_fake.server import SCOPES

    fake.scopes = {scope for _, _, scope in SCOPES} - {missing}
    with pytest.raises(AuthError, match=f"lacks the '{missing}' permission"):
        sync_suppressions(project, api=api, **options)


def test_cli_401_and_403_name_the_permission(invoke, fake, env):
    fake.scopes = {"mail.send"}
    refused = invoke("suppressions", "sync", env=env)
    assert refused.exit_code == 3
    assert "lacks the 'asm.groups.suppressions.read' permission" in refused.output
    assert "Settings > API Keys" in refused.output
    wrong = invoke("suppressions", "sync", env={**env, "SENDGRID_API_KEY": "SG.wrong-key"})
    assert wrong.exit_code == 3 and "rejected the API key (401)" in wrong.output
    assert "'asm.groups.suppressions.read' permission" in wrong.output
    assert "SG.wrong-key" not in wrong.output


def test_an_unknown_group_is_a_config_error(project, project_dir, fake, api, options):
    config = project_dir / "newsletter.toml"
    config.write_text(config.read_text().replace("12345", "777"))
    with pytest.raises(ConfigError, match="SendGrid has no unsubscribe group 777"):
        sync_suppressions(project, api=api, **options)


def test_when_it_last_ran_is_private_and_a_stale_sync_warns(project, project_dir, fake, api,
                                                            options):  # fmt: skip
    assert "never been synced here: run 'newsletter suppressions sync'" in stale_warning(project)
    now = time.time()
    sync_suppressions(project, api=api, now=now, **options)
    state = project_dir / ".newsletter" / "suppressions-sync.json"
    assert os.name == "nt" or stat.S_IMODE(os.stat(state).st_mode) == 0o600  # no modes on Windows
    assert stale_warning(project, now + 6 * 86400) is None
    late = stale_warning(project, now + 9 * 86400)
    assert "last synced 9 days ago" in late and "newsletter suppressions sync" in late


def test_no_api_key_names_the_variable_without_talking_of_sending(invoke, project_dir):
    result = invoke("suppressions", "sync")
    assert result.exit_code == 2
    assert "SENDGRID_API_KEY is not set" in result.output
    assert "--backend outbox" not in result.output and "After you send" in result.output
