"""The sample recipients/ folder: realistic, made-up, safe addresses, no problems."""

from __future__ import annotations

import csv

from support.issues import REPO

from newsletter_cli.project import Project
from newsletter_cli.recipients import load_roster

AUTHORITIES = (
    "Birmingham", "Coventry", "Dudley", "Herefordshire", "Sandwell", "Shropshire", "Solihull",
    "Staffordshire", "Stoke-on-Trent", "Telford & Wrekin", "Walsall", "Warwickshire",
    "Wolverhampton", "Worcestershire",
)  # fmt: skip
AUDIENCES = {
    "dcs", "send-leads", "send-coordinators", "send-network", "safeguarding-reps",
    "participation-leads", "families-first-leads", "regional-team", "everyone",
}  # fmt: skip


def test_sample_data_loads_cleanly_even_when_strict() -> None:
    roster = load_roster(Project(REPO), strict=True)
    assert len(roster.contacts) >= 60
    assert AUDIENCES <= set(roster.list_names())
    for name in roster.list_names():
        assert roster.resolve([name]).members, name


def test_every_address_is_a_reserved_example_domain() -> None:
    for path in sorted((REPO / "recipients").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                domain = row["email"].lower().rsplit("@", 1)[1]
                assert domain.endswith((".example.org", ".test")), (path.name, row["email"])


def test_every_local_authority_is_represented() -> None:
    roster = load_roster(Project(REPO))
    organisations = " ".join(c.organisation for c in roster.contacts)
    for authority in AUTHORITIES:
        assert authority in organisations, authority
    dcs = roster.resolve(["dcs"]).members
    assert len({c.organisation for c in dcs}) == 14
