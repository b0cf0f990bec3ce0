"""Resolving lists, audience keys for only_for blocks, and unknown names."""

from __future__ import annotations

import pytest

from newsletter_cli.errors import InputError, UnknownNameError
from newsletter_cli.recipients import Contact, load_roster, visible

CONTACTS = """\
email,name,tags
dcs1@a.example.org,Dee One,dcs
lead1@a.example.org,Lee One,send-lead
both@b.example.org,Bo Th,dcs; send-lead
coord@region.example.org,,send-coordinator; regional-team
safe@c.example.org,Saf E,safeguarding-rep
gone@c.example.org,Gone,send-lead
"""
LISTS = """\
everyone:
  everyone: true
dcs:
  tags: [dcs]
send-leads:
  tags: [send-lead]
send-coordinators:
  tags: [send-coordinator]
send-network:
  lists: [send-leads, dcs, send-coordinators]
regional-team:
  tags: [regional-team]
local-authorities:
  everyone: true
  exclude_lists: [regional-team]
leads-not-dcs:
  lists: [send-leads]
  exclude_tags: [dcs]
"""
SUPPRESSIONS = "email,reason\ngone@c.example.org,bounced\n"


@pytest.fixture
def roster(make_project):
    files = {"contacts.csv": CONTACTS, "suppressions.csv": SUPPRESSIONS}
    return load_roster(make_project(files, LISTS))


def members(roster, *names: str) -> list[str]:
    return [c.email.split("@")[0] for c in roster.resolve(list(names)).members]


def test_unions_exclusions_and_stable_order(roster) -> None:
    assert [str(p) for p in roster.problems] == [
        "recipients/contacts.csv:6: tag 'safeguarding-rep' is used by no list in "
        "recipients/lists.yaml (1 contact)"
    ]
    assert members(roster, "send-network") == ["dcs1", "lead1", "both", "coord"]
    assert members(roster, "local-authorities") == ["dcs1", "lead1", "both", "safe"]
    assert members(roster, "leads-not-dcs") == ["lead1"]
    assert members(roster, "regional-team", "dcs") == ["dcs1", "both", "coord"]  # file order
    assert members(roster, "dcs", "send-network", "dcs") == ["dcs1", "lead1", "both", "coord"]


def test_resolution_names_and_held_back_people(roster) -> None:
    result = roster.resolve(["send-leads", "dcs"])
    assert result.names == ("send-leads", "dcs")
    assert len(result) == 3
    assert [c.email for c in result.suppressed] == ["gone@c.example.org"]
    assert result.reason(result.suppressed[0]) == "bounced (recipients/suppressions.csv:2)"
    assert result.reason(result.members[0]) == ""
    assert roster.resolve("Send-Leads").names == ("send-leads",)  # one name, any case


def test_unknown_list_names_the_closest(roster) -> None:
    with pytest.raises(UnknownNameError) as caught:
        roster.resolve(["send-netwrk"])
    assert str(caught.value) == "no list named 'send-netwrk'; closest: send-network, send-leads"
    assert "known lists: everyone, dcs" in caught.value.hint
    assert isinstance(caught.value, InputError)


def test_a_tag_given_as_a_list_name_is_explained(roster) -> None:
    with pytest.raises(UnknownNameError, match="'send-lead' is a tag: name a list"):
        roster.resolve(["send-lead"])
    with pytest.raises(UnknownNameError, match="no list given"):
        roster.resolve([])


def test_audience_keys_are_tags_plus_lists(roster) -> None:
    both = roster.resolve(["dcs"]).members[1]
    assert roster.audience_keys(both) == {
        "dcs", "send-lead", "everyone", "send-leads", "send-network", "local-authorities",
    }  # fmt: skip
    coord = roster.resolve(["regional-team"]).members[0]
    assert roster.audience_keys(coord) == {
        "send-coordinator", "regional-team", "everyone", "send-coordinators", "send-network",
    }  # fmt: skip
    stranger = Contact("x@y.example.org", tags=frozenset({"dcs"}))
    assert roster.audience_keys(stranger) == {"dcs"}


def test_only_for_blocks_follow_the_keys(roster) -> None:
    lead = roster.resolve(["leads-not-dcs"]).members[0]
    keys = roster.audience_keys(lead)
    assert visible(["send-network"], keys)
    assert visible(["SEND Lead"], keys)  # tags are matched in their normal form
    assert not visible(["dcs", "regional-team"], keys)
    assert visible([], keys)
    assert visible(["dcs"], None)  # no audience chosen: the editor sees everything


def test_list_audience_keys_are_shared_by_every_member(roster) -> None:
    assert roster.list_audience_keys("dcs") == {
        "dcs", "everyone", "send-network", "local-authorities",
    }  # fmt: skip
    # not every network member is a DCS or a lead, so only blocks for the whole network show
    assert roster.list_audience_keys("send-network") == {"send-network", "everyone"}


def test_sample_member_skips_suppressed(roster, make_project) -> None:
    assert roster.sample_member("send-coordinators").email == "coord@region.example.org"
    files = {"contacts.csv": "email,tags\ngone@c.example.org,send-lead\n",
             "suppressions.csv": SUPPRESSIONS}  # fmt: skip
    lonely = load_roster(make_project(files, "send-leads:\n  tags: [send-lead]\n"))
    assert lonely.sample_member("send-leads") is None
    assert lonely.resolve(["send-leads"]).members == []
    assert lonely.list_audience_keys("send-leads") == {"send-leads"}
    with pytest.raises(UnknownNameError):
        lonely.sample_member("nope")


def test_known_keys_for_checking_only_for(roster) -> None:
    keys = roster.known_keys()
    assert {"send-network", "send-lead", "regional-team", "local-authorities"} <= keys
    assert "send-netwrk" not in keys


def test_recipient_fields_for_templates(roster) -> None:
    coord = roster.resolve(["send-coordinators"]).members[0]
    assert coord.fields()["first_name"] == "colleague"  # no name in the file
    assert roster.resolve(["dcs"]).members[0].fields() == {
        "email": "dcs1@a.example.org",
        "name": "Dee One",
        "first_name": "Dee",
        "organisation": "",
        "role": "",
    }


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Jane Smith", "Jane"),
        ("Dr Jane Smith", "Jane"),
        ("Prof. Ann Lee", "Ann"),
        ("Smith, Jane", "Jane"),
        ("Jane Smith, OBE", "Jane"),
        ("Dr Smith", "Dr Smith"),
        ("Cher", "Cher"),
        ("", "colleague"),
        ("Dr", "colleague"),
    ],
)
def test_first_name(name: str, first: str) -> None:
    assert Contact("a@b.example.org", name).first_name == first


def test_missing_recipients_folder(tmp_path) -> None:
    from newsletter_cli.project import Project

    with pytest.raises(InputError, match="recipients: no recipients folder"):
        load_roster(Project(tmp_path))
