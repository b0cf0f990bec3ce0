"""A send to the sample project's SEND network through the fake SendGrid, and what its
readers did over the next days: the data every report test (and the README's screenshot)
uses. Made-up addresses only (the sample contacts are at example.org and .test)."""

from __future__ import annotations

import time

from support.issues import SEPTEMBER, members, ready

DAY = 86400
ISSUE = "2025-09-regional-update"


def send(invoke, project_dir, env, *lists: str) -> str:
    """Send the September sample to ``lists`` through the fake; return the send id."""
    from newsletter_cli.journal import existing_journal
    from newsletter_cli.project import Project

    ready(project_dir)
    tracking(project_dir, True)  # the readers' opens and clicks below are measured
    args = [a for name in lists for a in ("--list", name)]
    result = invoke("send", SEPTEMBER, *args, "--yes", "--backend", "sendgrid", env=env)
    assert result.exit_code == 0, result.output
    with existing_journal(Project(project_dir)) as journal:
        return journal.sends()[-1].id


def tracking(project_dir, on: bool) -> None:
    """Switch [sendgrid] track_opens and track_clicks on or off in newsletter.toml."""
    config = project_dir / "newsletter.toml"
    text = config.read_text(encoding="utf-8")
    for name in ("track_opens", "track_clicks"):
        text = text.replace(f"{name} = {'false' if on else 'true'}", f"{name} = {str(on).lower()}")
    config.write_text(text, encoding="utf-8")


def readers_act(fake, project_dir, *, start: float | None = None) -> dict[str, list[str]]:
    """Opens and clicks over five days, two bounces, a block, an unsubscribe and a spam
    report among the SEND network; returns who did what."""
    start = time.time() if start is None else start
    people = members(project_dir, "send-network")
    bounced, blocked, unsubscribed, spam = people[1:3], people[3:4], people[4:5], people[5:6]
    openers = people[6:26]
    for i, email in enumerate(openers):
        day = start + (i % 5) * DAY + 3600
        fake.act(email, "open", at=day)
        if i % 2 == 0:
            fake.act(email, "open", at=day + DAY)  # opened again the next day
        if i % 3 == 0:
            fake.act(email, "click", at=day + 600)
    for email in bounced:
        fake.act(email, "bounce", at=start + 60)
    for email in blocked:
        fake.act(email, "block", at=start + 120)
    for email in unsubscribed:
        fake.act(email, "open", at=start + DAY)
        fake.act(email, "unsubscribe", at=start + DAY + 60)
    for email in spam:
        fake.act(email, "spamreport", at=start + 2 * DAY)
    return {"bounced": bounced, "blocked": blocked, "unsubscribed": unsubscribed,
            "spam": spam, "openers": openers, "clickers": openers[::3], "people": people}
