"""Unknown fields suggest the one meant, for every block kind, built-in or declared."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsletter_cli.errors import InputError
from newsletter_cli.model.issue import load_issue

HEAD = 'title: "T"\nissue_date: "2025-10-17"\nsubject: "S"\nblocks:\n'

#: name: (blocks text with one wrong field, the message after 'file:line: ', the line)
CASES = {
    "venue on an event": (
        '  - kind: event\n    title: "Workshop"\n    venue: "Room 1"\n',
        "block 1 (event \"Workshop\"), venue: is not a field here: did you mean 'location'?", 7),
    "a typo on an event in a list": (
        '  - kind: events\n    events:\n      - title: "Seminar"\n        deadine: "2025-10-20"\n',
        "block 1 (events), event 1 (\"Seminar\"), deadine: is not a field here: did you mean 'deadline'?", 8),
    "price on an event": (
        '  - kind: event\n    title: "Workshop"\n    price: "Free"\n',
        "block 1 (event \"Workshop\"), price: is not a field here: did you mean 'cost'?", 7),
    "link on a link": (
        '  - kind: article\n    heading: "H"\n    body: "B"\n    links:\n'
        '      - text: "More"\n        link: "https://example.org/"\n',
        "block 1 (article \"H\"), link 1 (\"More\"), link: is not a field here: did you mean 'url'?", 10),
    "title on an article": (
        '  - kind: article\n    title: "H"\n    body: "B"\n',
        "block 1 (article \"H\"), title: is not a field here: did you mean 'heading'?", 6),
    "a typo in a person": (
        '  - kind: people\n    people:\n      - name: "Ann"\n        organization: "Dudley"\n',
        "block 1 (people), person 1 (\"Ann\"), organization: is not a field here: did you mean 'organisation'?", 8),
    "a typo on a callout": (
        '  - kind: callout\n    bdy: "B"\n',
        "block 1 (callout), bdy: is not a field here: did you mean 'body'?", 6),
    "a typo on a button": (
        '  - kind: button\n    text: "Go"\n    ulr: "https://example.org/"\n',
        "block 1 (button \"Go\"), ulr: is not a field here: did you mean 'url'?", 7),
    "a typo on a quote": (
        '  - kind: quote\n    text: "Words"\n    auther: "Ann"\n',
        "block 1 (quote \"Words\"), auther: is not a field here: did you mean 'author'?", 7),
    "a typo on an image": (
        '  - kind: image\n    src: "https://example.org/a.png"\n    alt_text: "A"\n',
        "block 1 (image), alt_text: is not a field here: did you mean 'alt'?", 7),
    "a typo on a foreword": (
        '  - kind: foreword\n    heading: "H"\n    author: "A"\n    body: "B"\n    signoff: "Best"\n',
        "block 1 (foreword \"H\"), signoff: is not a field here: did you mean 'sign_off'?", 9),
    "a misspelt top-level field": (
        '  - kind: callout\n    body: "B"\n',
        "titel: is not a field here: did you mean 'title'?", 1),
    "nothing like it": (
        '  - kind: callout\n    body: "B"\n    zzz: 1\n',
        "block 1 (callout), zzz: is not a field here (the fields here: heading, body, links, "
        "only_for)",
        7),
}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_unknown_fields_suggest_the_nearest(tmp_path: Path, case):
    blocks, expected, line = CASES[case]
    head = HEAD.replace('title: "T"', 'titel: "T"') if "top-level" in case else HEAD
    path = tmp_path / "issue.yaml"
    path.write_text(head + blocks, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_issue(path)
    assert str(caught.value) == f"{path}:{line}: {expected}"


def test_a_declared_kind_suggests_its_own_fields(invoke, project_dir):
    folder = project_dir / "templates" / "regional-update" / "blocks"
    folder.mkdir()
    (folder / "vacancy.yaml").write_text(
        "fields:\n  title: {type: str, required: true}\n  closing: date\n", encoding="utf-8"
    )
    (folder / "vacancy.mjml.j2").write_text("<mj-text>{{ block.title }}</mj-text>\n")
    issue = project_dir / "issues" / "x.yaml"
    issue.write_text(HEAD + '  - kind: vacancy\n    title: "Co-ordinator"\n    closng: "2025-11-01"\n',
                     encoding="utf-8")  # fmt: skip
    result = invoke("check", "issues/x.yaml")
    assert result.exit_code == 2
    assert ("issues/x.yaml:7: block 1 (vacancy \"Co-ordinator\"), closng: is not a field here: "
            "did you mean 'closing'?"
            in result.output)  # fmt: skip


@pytest.mark.parametrize("written", ["send-network", "dcs, send-network", "[send-network]"])
def test_only_for_takes_one_name_or_several(tmp_path: Path, written):
    path = tmp_path / "issue.yaml"
    path.write_text(HEAD + f'  - kind: callout\n    body: "B"\n    only_for: {written}\n',
                    encoding="utf-8")  # fmt: skip
    names = load_issue(path).blocks[0].only_for
    assert names == (["dcs", "send-network"] if "," in written else ["send-network"])
