"""`newsletter report` on a send through the fake SendGrid, with and without Email Activity."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from support.sendgrid import API_KEY

from newsletter_cli.delivery.sendgrid_http import client
from newsletter_cli.journal import existing_journal
from newsletter_cli.project import Project
from newsletter_cli.reports.report import build_report

from .scenario import DAY, readers_act, send, tracking


@pytest.fixture
def sent(invoke, project_dir, fake, env):
    """A send to send-network, and a week of its readers' doings."""
    send_id = send(invoke, project_dir, env, "send-network")
    did = readers_act(fake, project_dir)
    return send_id, did


def stats_queries(fake) -> list[dict]:
    return [parse_qs(urlsplit(r.path).query) for r in fake.requests
            if urlsplit(r.path).path == "/v3/categories/stats"]  # fmt: skip


def test_report_with_email_activity(project, sent, fake, api):
    send_id, did = sent
    report = build_report(project, send_id=send_id, api=api, now=time.time() + 6 * DAY)
    assert report.category == "send-" + send_id.rsplit("-", 1)[1]
    assert stats_queries(fake)[0]["categories"] == [report.category]
    totals = report.totals
    assert totals["requests"] == len(did["people"]) == 29
    assert totals["delivered"] == 29 - 3 and totals["bounces"] == 2 and totals["blocks"] == 1
    assert totals["unsubscribes"] == 1 and totals["spam_reports"] == 1
    assert totals["clicks"] == len(did["clickers"])
    assert report.activity and not report.notes
    by_email = {r.email: r for r in report.recipients}
    assert {e for e, r in by_email.items() if "opened" in r.outcomes} == set(
        did["openers"] + did["unsubscribed"])
    assert {e for e, r in by_email.items() if "clicked" in r.outcomes} == set(did["clickers"])
    assert {e for e, r in by_email.items() if "bounced" in r.outcomes} == set(did["bounced"])
    assert by_email[did["unsubscribed"][0]].outcomes >= {"unsubscribed", "delivered"}
    lists = {g.name: g for g in report.by_list}
    assert lists["send-network"].recipients == 29 and lists["dcs"].recipients == 14
    assert lists["send-network"].counts["bounced"] == 2
    orgs = {g.name: g for g in report.by_org}
    assert sum(g.recipients for g in orgs.values()) == 29
    # Email Activity was asked once per journalled batch, on the send's custom args
    activity = [parse_qs(urlsplit(r.path).query) for r in fake.requests
                if r.path.startswith("/v3/messages")]  # fmt: skip
    assert [q["query"] for q in activity] == [[
        f"unique_args['newsletter_send']=\"{send_id}\" AND unique_args['newsletter_batch']=\"1\""]]


def test_cli_report_fits_80_columns(invoke, sent, env):
    send_id, did = sent
    result = invoke("report", send_id, env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)
    assert any(line.startswith("Requests") and " 29 " in line and "100%" in line for line in lines)
    assert any(line.startswith("Bounces") and "█" in line for line in lines)
    assert any(line.startswith("send-network") for line in lines)
    assert any(line.startswith("Coventry City Council") for line in lines)
    assert did["bounced"][0][:20] in result.output and "bounced" in result.output
    assert API_KEY not in result.output


def test_without_email_activity_says_what_is_missing_and_shows_the_rest(invoke, sent, fake, env):
    send_id, did = sent
    fake.activity_addon = False  # SendGrid answers 403, as for an account without the add-on
    result = invoke("report", send_id, env=env)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "need SendGrid's Email Activity add-on" in text and "'messages.read'" in text
    assert "Deliv." not in result.output and "Opened" not in result.output
    assert "Bounced" in result.output and "Requests" in result.output
    assert "People who opened" not in result.output


def test_csv_and_json(invoke, sent, env):
    send_id, did = sent
    as_csv = invoke("report", send_id, "--csv", env=env)
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    figures = {r["metric"]: int(r["value"]) for r in rows if r["section"] == "figure"}
    assert figures["requests"] == 29 and figures["bounces"] == 2
    bounced = {r["name"] for r in rows if r["section"] == "recipient" and r["metric"] == "bounced"}
    assert bounced == set(did["bounced"])
    assert any(r["section"] == "list" and r["name"] == "dcs" and r["metric"] == "recipients"
               and r["value"] == "14" for r in rows)  # fmt: skip
    as_json = invoke("report", send_id, "--json", env=env)
    data = json.loads(as_json.stdout)
    assert {"section": "figure", "name": "", "metric": "requests", "value": 29,
            "organisation": "", "lists": []} in data  # fmt: skip


def test_report_for_a_whole_issue(invoke, project_dir, fake, env):
    first = send(invoke, project_dir, env, "dcs")
    second = send(invoke, project_dir, env, "send-network")
    assert first != second
    result = invoke("report", "--issue", "issues/2025-09-regional-update.yaml", "--csv", env=env)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    figures = {r["metric"]: int(r["value"]) for r in rows if r["section"] == "figure"}
    assert figures["requests"] == 29  # 14 DCSs, then the other 15: each person once
    assert stats_queries(fake)[-1]["categories"] == ["2025-09-regional-update"]


def test_unknown_send_id_names_the_nearest(invoke, sent, env):
    send_id, _ = sent
    result = invoke("report", send_id[:-3] + "xyz", env=env)
    assert result.exit_code == 2
    assert f"closest: {send_id}" in result.output


def test_an_outbox_send_has_no_report(invoke, project_dir, env):
    from support.issues import ready

    ready(project_dir)
    sent = invoke("send", "issues/2025-09-regional-update.yaml", "--list", "dcs", "--yes")
    assert sent.exit_code == 0
    with existing_journal(Project(project_dir)) as journal:
        send_id = journal.sends()[-1].id
    result = invoke("report", send_id, env=env)
    assert result.exit_code == 1 and "went through outbox" in result.output


@pytest.mark.parametrize("missing", ["categories.stats.read", "suppression.bounces.read"])
def test_403_names_the_permission(invoke, sent, fake, env, missing):
    from support.sendgrid_fake.server import SCOPES

    fake.scopes = {scope for _, _, scope in SCOPES} - {missing}
    result = invoke("report", sent[0], env=env)
    assert result.exit_code == 3
    assert f"lacks the '{missing}' permission" in " ".join(result.output.split())


def test_429_is_waited_out(project, sent, fake, api, options, sleeps):
    send_id, _ = sent
    fake.will_api("/v3/categories/stats", "429")
    fake.will_activity("429")
    report = build_report(project, send_id=send_id, api=api, now=time.time() + DAY, **options)
    assert report.totals["requests"] == 29 and report.activity
    assert len(sleeps) == 2 and all(0 <= s <= 10 for s in sleeps)


def test_dates_are_utc_in_requests_and_uk_time_in_output(project, sent, fake, api):
    send_id, _ = sent
    with existing_journal(project) as journal:  # as if scheduled for 00:30 UK time, 1 October
        when = datetime(2025, 10, 1, 0, 30, tzinfo=ZoneInfo("Europe/London")).timestamp()
        journal.update_send(send_id, send_at=int(when))
    build_report(project, send_id=send_id, api=api, now=when + 3600)
    query = stats_queries(fake)[-1]
    assert query["start_date"] == ["2025-09-30"]  # 23:30 UTC the day before
    assert query["end_date"] == ["2025-10-01"]
    bounces = [parse_qs(urlsplit(r.path).query) for r in fake.requests
               if urlsplit(r.path).path == "/v3/suppression/bounces"]  # fmt: skip
    assert bounces[-1]["start_time"] == [str(int(when) - 60)]


def test_the_uk_time_is_shown(invoke, project_dir, sent, env):
    send_id, _ = sent
    with existing_journal(Project(project_dir)) as journal:
        when = datetime(2025, 10, 1, 0, 30, tzinfo=ZoneInfo("Europe/London")).timestamp()
        journal.update_send(send_id, send_at=int(when))
    result = invoke("report", send_id, env=env)
    assert "First sent Wednesday 1 October 2025, 12:30am (UK time)" in result.output


def test_no_statistics_yet(project, project_dir, fake, api):
    from newsletter_cli.journal import open_journal

    with open_journal(project) as journal:
        journal.open_send("2025-09-regional-update--dcs-0badc0", issue="2025-09-regional-update",
                          lists=["dcs"], mode="live", backend="sendgrid", subject="S",
                          issue_sha="")  # fmt: skip
    report = build_report(project, send_id="2025-09-regional-update--dcs-0badc0", api=api)
    assert report.days is None
    assert any("no statistics for category send-0badc0 yet" in n for n in report.notes)


def test_client_is_the_real_one(fake):
    api = client(API_KEY, fake.url)
    assert type(api).__module__.startswith("sendgrid")


def test_csv_neutralises_formulas_and_json_keeps_them(invoke, project_dir, fake, env):
    from support.spreadsheet import HYPERLINK, MINUS, add_hostile_contacts, formulas, read_csv

    hostile = add_hostile_contacts(project_dir)
    send_id = send(invoke, project_dir, env, "dcs")
    for email in hostile:
        fake.act(email, "open", at=time.time() + 3600)
    result = invoke("report", send_id, "--csv", env=env)
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    assert formulas(rows) == []
    people = {r["name"]: r for r in rows if r["section"] == "recipient"}
    assert people[hostile[2]]["organisation"] == "'" + HYPERLINK
    assert people[hostile[3]]["organisation"] == "'" + MINUS
    groups = {r["name"] for r in rows if r["section"] == "organisation"}
    assert {"'" + HYPERLINK, "'" + MINUS} <= groups
    assert all(r["value"].lstrip("-").isdigit() for r in rows)  # figures stay numbers
    data = json.loads(invoke("report", send_id, "--json", env=env).stdout)
    assert HYPERLINK in {r["organisation"] for r in data}
    text = " ".join(invoke("report", "--help").output.split())
    assert "Cells starting with = + - @ are prefixed with ' for spreadsheets" in text


def test_with_tracking_off_opens_are_not_measured_not_zero(invoke, sent, project_dir, env):
    send_id, _did = sent
    tracking(project_dir, False)
    result = invoke("report", send_id, env=env)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "opens not measured: tracking is off" in text
    assert "clicks not measured: tracking is off" in text
    assert "Unique opens" not in text and "People who opened" not in text
    assert "Opens not measured: tracking is off" in text  # in the figures, instead of a zero
    assert "Bounces" in text and "Requests" in text
