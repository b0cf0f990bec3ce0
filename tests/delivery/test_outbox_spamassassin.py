"""SpamAssassin's local rules on a real outbox message: no points from the HTML.

Debian's ``spamassassin`` (installed by ``make test`` when missing) runs with ``-L``: local
tests only, no DNS or network. The September sample is sent to the outbox for real (its
TODO links filled in and its dates moved ahead, as it would be before sending), and one
``.eml`` is scored.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support.issues import ready

pytestmark = pytest.mark.spamassassin

#: Rules a hit on which is fine, and why. Any other rule fails the test.
ACCEPTED = {
    "NO_RECEIVED": "informational: an outbox file has not been through any mail server yet",
    "NO_RELAYS": "informational: the same",
    "HTML_MESSAGE": "informational (0.001): the message has an HTML part, as every issue does",
    "LOTS_OF_MONEY": "the issue's own words ('£1.6 million grant'), in both parts: not markup",
}

#: A message hiding text by colouring it like its background, as the old preheader did.
LOW_CONTRAST = """\
From: Team <team@example.org>
To: someone@example.org
Subject: Hello
Date: Thu, 18 Sep 2025 09:00:00 +0100
Message-ID: <a1@example.org>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><body style="background-color:#ffffff">
<div style="display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;opacity:0;\
overflow:hidden;">Three Outstanding councils and free events this autumn.</div>
<p>Regional news for colleagues across the West Midlands.</p>
</body></html>
"""


def spamassassin() -> str:
    found = shutil.which("spamassassin")
    assert found, "Debian's spamassassin is missing: run `make test` (it installs it)"
    return found


def score(message: bytes, home: Path) -> dict[str, float]:
    """{rule: points} for every rule SpamAssassin's local tests hit."""
    home.mkdir(exist_ok=True)
    result = subprocess.run(
        [spamassassin(), "-L", "-t"],
        input=message,
        capture_output=True,
        env={**os.environ, "HOME": str(home)},
        timeout=300,
        check=True,
    )
    report = result.stdout.decode("utf-8", "replace")
    table = report[report.index("---- ---") :]
    return {name: float(points) for points, name in re.findall(r"^\s*(-?[\d.]+) ([A-Z0-9_]+)\s",
                                                                 table, re.MULTILINE)}


def test_the_harness_notices_text_hidden_by_colour(tmp_path):
    hits = score(LOW_CONTRAST.encode(), tmp_path / "home")
    assert "HTML_FONT_LOW_CONTRAST" in hits


def test_outbox_message_gets_no_points_from_its_html(invoke, project_dir, tmp_path):
    ready(project_dir)  # links filled in, dates ahead of today: as it would be sent
    result = invoke("send", "issues/2025-09-regional-update.yaml", "--list", "dcs",
                    "--backend", "outbox", "--yes")
    assert result.exit_code == 0, result.output
    message = sorted((project_dir / "outbox").rglob("*.eml"))[0]
    hits = score(message.read_bytes(), tmp_path / "home")
    assert "HTML_MESSAGE" in hits  # the HTML part was read
    unexpected = {rule: points for rule, points in hits.items() if rule not in ACCEPTED}
    assert unexpected == {}, f"{message.name}: {unexpected}"
