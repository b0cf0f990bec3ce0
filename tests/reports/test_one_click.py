"""One-click unsubscribe end to end: a SendGrid send, what arrives, a reader's click, the sync."""

from __future__ import annotations

import urllib.request
from urllib.parse import urlsplit

from support.issues import SEPTEMBER, members, ready

from .scenario import send


def test_a_reader_unsubscribes_in_one_click_and_the_next_send_leaves_them_out(
    invoke, project_dir, fake, env
):
    send(invoke, project_dir, env, "dcs")
    dcs = members(project_dir, "dcs")
    first, second, third = dcs[:3]
    arrived = fake.delivered(first)
    # what the mail program sees: SendGrid's https link and the RFC 8058 one-click pair
    header = arrived.headers["List-Unsubscribe"]
    assert header.startswith(f"<{arrived.unsubscribe_url}>, <mailto:")
    assert arrived.unsubscribe_url.startswith("https://")
    assert arrived.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # ...and the email's own unsubscribe link is the same place, once: no second footer
    assert arrived.html.count(arrived.unsubscribe_url) == 1
    assert f'href="{arrived.unsubscribe_url}"' in arrived.html
    assert "Unsubscribe" in arrived.html and "[sendgrid_unsubscribe_url]" not in arrived.html
    assert arrived.text.count(arrived.unsubscribe_url) == 1
    assert "mailto:regional.team@example.org" not in header  # our own mailto would block it
    # Gmail's button: a POST of List-Unsubscribe=One-Click to the header's https URL
    where = urlsplit(arrived.unsubscribe_url)
    request = urllib.request.Request(f"{fake.url}{where.path}?{where.query}", method="POST",
                                     data=b"List-Unsubscribe=One-Click")  # fmt: skip
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200
    # a reply to the header's mailto, and a click on the link in the email, end the same way
    fake.mailto_reply(header.split("<mailto:")[1].rstrip(">"))
    fake.mailto_reply("mailto:x?subject=unsubscribe-" + fake.delivered(second).unsubscribe_url
                      .rsplit("=", 1)[1])  # fmt: skip
    link = urlsplit(fake.delivered(third).unsubscribe_url)
    with urllib.request.urlopen(f"{fake.url}{link.path}?{link.query}", timeout=5) as answer:
        assert answer.status == 200
    assert set(fake.held.group_members[12345]) == {first, second, third}
    # the sync brings them home, and every list now leaves them out
    synced = invoke("suppressions", "sync", env=env)
    assert synced.exit_code == 0, synced.output
    assert "  dcs: 3 unsubscribed" in synced.output
    assert not {first, second, third} & set(members(project_dir, "dcs"))


def test_the_outbox_keeps_its_mailto_and_says_so(invoke, project_dir):
    ready(project_dir)
    result = invoke("send", SEPTEMBER, "--list", "dcs", "--yes")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "unsubscribe is a mailto to the reply-to address" in text
    assert "nothing here can take a one-click unsubscribe" in text
    message = next((project_dir / "outbox").rglob("*.eml")).read_text()
    assert "List-Unsubscribe: <mailto:regional.team@example.org?subject=unsubscribe" in message
    assert "List-Unsubscribe-Post" not in message


def test_a_live_sendgrid_send_warns_until_the_suppressions_are_synced(invoke, project_dir, fake,
                                                                     env):  # fmt: skip
    ready(project_dir)
    args = ("send", SEPTEMBER, "--list", "dcs", "--backend", "sendgrid", "--dry-run")
    before = " ".join(invoke(*args, env=env).output.split())
    assert "never been synced here: run 'newsletter suppressions sync' first" in before
    assert invoke("suppressions", "sync", env=env).exit_code == 0
    after = invoke(*args, env=env).output
    assert "suppressions sync" not in after
