"""Recognise the Regional Update in a list of paragraphs.

Title and date ("Regional Update – September 2025", a byline "Sep 19"), the foreword
(its heading, the letter, "Kind regards" and the name under it), news items (heading,
paragraphs, links, a contact's email), appointments ("We welcome X to the Y, in her role
as Z"), dated news items, and the events section with one event per heading.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from newsletter_cli.authoring.importing import when
from newsletter_cli.authoring.importing.draft import Draft, Note, body, link_of, links_in
from newsletter_cli.authoring.importing.events import LABEL, ONLINE, _date_line, build_event
from newsletter_cli.authoring.importing.source import Para, Source
from newsletter_cli.authoring.importing.text import SECTION

CHROME = re.compile(
    r"^(top of page|bottom of page|comments?|\d+ min(ute)? read|share( this)?( post)?|"
    r"like|log ?in|sign ?in|subscribe|skip to (main )?content|menu|home)$", re.IGNORECASE,
)
TITLE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+(\d{4})\b"
)
SIGN_OFF = re.compile(
    r"^(kind regards|best wishes|warm regards|with best wishes|regards|yours sincerely|"
    r"many thanks|thank you|best)[,.!]?$", re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NAME = r"[A-Z][a-z’'-]+(?: [A-Z][a-z’'-]+){1,2}"
CONTACT = re.compile(r"\bcontact (" + NAME + r")")
APPOINTED = re.compile(
    r"\b(?:welcome|invite|introduce|appointed|appoint)\s+(" + NAME + r")\s+(?:to|as)\s+"
    r"(?:the\s+)?([A-Z][\w ]+?)(?:,?\s+in (?:his|her|their) role as (?:the |a |an )?([^.,]+))?[.,]"
)
ABBREVIATIONS = {"DCS": "Director of Children's Services"}


def _sections(paras: list[Para]) -> tuple[list[Para], list[tuple[Para, list[Para]]]]:
    """(paragraphs before the first heading, [(heading, its paragraphs)])."""
    lead: list[Para] = []
    sections: list[tuple[Para, list[Para]]] = []
    for para in paras:
        if para.kind == "heading":
            sections.append((para, []))
        elif sections:
            sections[-1][1].append(para)
        else:
            lead.append(para)
    return lead, sections


def _title(source: Source, draft: Draft, given: date | None) -> tuple[list[Para], date]:
    """Find the title and issue date; return the paragraphs left, and the issue date."""
    paras = [p for p in source.paras if not CHROME.match(p.text)]
    for skipped in (p for p in source.paras if CHROME.match(p.text)):
        draft.notes.append(Note(skipped.line, f'"{skipped.text}" left out (page furniture)'))
    found = next((p for p in paras[:8] if TITLE.search(p.text) and len(p.text) < 90), None)
    if found is None:
        draft.notes.append(Note(paras[0].line if paras else 1,
                                "no title like \"Regional Update – September 2025\": check title"))
        found = paras[0] if paras else Para("heading", "Regional Update", 1)
    draft.data["title"] = found.text.rstrip(":")
    month = TITLE.search(found.text)
    ref = given or (date(int(month[2]), when.MONTHS[month[1].lower()[:3]], 1) if month
                    else date.today())  # fmt: skip
    rest = paras[paras.index(found) + 1:] if found in paras else paras
    day = None
    while rest and rest[0].kind != "heading" and len(rest[0].text.split()) <= 4:
        byline = rest.pop(0)
        hits = when.find_dates(byline.text, ref)
        if hits and day is None:
            day = hits[0].day
        else:
            draft.notes.append(Note(byline.line, f'byline "{byline.text}" not used'))
    issue_day = given or day or ref
    if not given and not day:
        draft.notes.append(Note(found.line, f"no date for the issue: {issue_day} is a guess; "
                                            "set issue_date (or pass --date)"))  # fmt: skip
    draft.data["issue_date"] = issue_day.isoformat()
    return rest, issue_day


def _role(heading: str) -> str:
    """The foreword author's role, from its heading ("From X's Chief Executive ...")."""
    role = re.sub(r"^from\s+", "", heading.rstrip(":"), flags=re.IGNORECASE)
    role = re.sub(r"\bour\s+", "", role)
    m = re.match(r"^([A-Z][\w-]*(?: [A-Z][\w-]*)?)[’']s (\w+(?: \w+){0,2})$", role)
    if m:
        role = f"{ABBREVIATIONS.get(m[2], m[2])}, {m[1]}"
    return role


def _foreword(heading: Para, paras: list[Para], draft: Draft) -> dict[str, Any] | None:
    """The opening letter, if these paragraphs end with a sign-off and a name."""
    at = next((i for i, p in enumerate(paras) if SIGN_OFF.match(p.text)), None)
    if at is None or at + 1 >= len(paras) or len(paras[at + 1].text.split()) > 5:
        return None
    author = paras[at + 1]
    after = paras[at + 2:]
    for para in after:
        draft.notes.append(Note(para.line, "text after the foreword's signature: added to "
                                           "the end of the foreword"))  # fmt: skip
    role = _role(heading.text)
    draft.notes.append(Note(heading.line, f'foreword: role "{role}" read from its heading; '
                                          "check it"))  # fmt: skip
    return {
        "kind": "foreword", "heading": heading.text.rstrip(":"), "author": author.text,
        "role": role, "body": body(paras[:at] + after), "sign_off": paras[at].text,
    }  # fmt: skip


def _article(heading: Para, paras: list[Para], draft: Draft) -> dict[str, Any]:
    """A news item: heading, body, links, and a contact named with an email address."""
    block: dict[str, Any] = {"kind": "article", "heading": heading.text.rstrip(":")}
    kept, links = [], []
    for para in paras:
        link = link_of(para)
        if link:
            links.append(link)
        else:
            kept.append(para)
            links.extend(links_in(para))
    if not kept:
        kept = [Para("para", heading.text.rstrip(":"), heading.line)]
        draft.notes.append(Note(heading.line, "a heading with no text under it: made an "
                                              "article of the heading alone"))  # fmt: skip
    block["body"] = body(kept)
    text = " ".join(p.text for p in paras)
    email = EMAIL.search(text)
    if email:
        block["contact"] = email[0].rstrip(".")
    named = next((m for p in paras if (m := CONTACT.search(p.text))), None)
    if named:
        block["contact_name"] = named[1]
    if links:
        block["links"] = links
    return block


def _people(heading: Para, paras: list[Para], draft: Draft) -> dict[str, Any] | None:
    """An appointment: "We are pleased to invite Natalie Bevan to the Regional Team, in her
    role as SEND Co-ordinator." -> a person with name, role and organisation."""
    m = APPOINTED.search(paras[0].text) if paras else None
    if not m:
        return None
    person: dict[str, Any] = {"name": m[1], "role": (m[3] or "").strip(),
                              "organisation": m[2].strip()}  # fmt: skip
    person["text"] = body(paras)
    email = EMAIL.search(" ".join(p.text for p in paras))
    if email:
        person["contact"] = email[0].rstrip(".")
    said = f"role \"{person['role']}\", organisation \"{person['organisation']}\""
    draft.notes.append(Note(paras[0].line, f"appointment: {m[1]}, {said}: check them"))
    return {"kind": "people", "heading": heading.text.rstrip(":"),
            "people": [{k: v for k, v in person.items() if v}]}  # fmt: skip


def _dated(paras: list[Para], ref: date) -> bool:
    """News with a date of its own: a line of dates and times, or "on 2nd October at X"."""
    for para in paras:
        if _date_line(para, ref) or LABEL.match(para.text) and len(para.text.split()) < 12:
            return True
        for hit in when.find_dates(para.text, ref):
            before, after = para.text[: hit.span[0]], para.text[hit.span[1]:]
            if before.endswith("on ") and re.match(r"\s+at\s+(the\s+)?[A-Z]", after):
                return True
    return False


def _news(heading: Para, paras: list[Para], ref: date, draft: Draft) -> dict[str, Any]:
    if _dated(paras, ref):
        event = build_event(heading, paras, ref, draft.notes)
        draft.events.append((heading.line, event))
        return {"kind": "event", **event}
    return _people(heading, paras, draft) or _article(heading, paras, draft)


def _events(sections: list[tuple[Para, list[Para]]], ref: date, draft: Draft) -> dict[str, Any]:
    """The events section: its heading, any words under it, and one event per heading."""
    (heading, intro), rest = sections[0], sections[1:]
    block: dict[str, Any] = {"kind": "events", "heading": heading.text.rstrip(":")}
    if intro:
        block["intro"] = body(intro)
    block["events"] = []
    for title, paras in rest:
        event = build_event(title, paras, ref, draft.notes)
        block["events"].append(event)
        draft.events.append((title.line, event))
    return block


def _envelope(draft: Draft, blocks: list[dict[str, Any]]) -> None:
    """A subject from the title, a preheader from the foreword's first sentence."""
    title = draft.data["title"]
    draft.data["subject"] = re.sub(r"\s+[–—-]\s+", ", ", title)[:60]
    letter = next((b["body"] for b in blocks if b["kind"] in ("foreword", "article")), "")
    first = re.split(r"(?<=[.!?])\s", " ".join(letter.split()), maxsplit=1)[0]
    first = re.sub(r"[*\\]", "", first)
    if len(first) > 100:
        first = first[:97].rsplit(" ", 1)[0] + "…"
    draft.data["preheader"] = first
    draft.notes.append(Note(1, "subject and preheader were made from the title and the first "
                               "sentence: write your own"))  # fmt: skip


def _unplaced(lead: list[Para], blocks: list[dict[str, Any]], draft: Draft) -> None:
    """Text before the first heading goes at the top of the first block's body."""
    if not lead:
        return
    for para in lead:
        draft.notes.append(Note(para.line, f'"{para.text[:50]}" comes before any heading: '
                                           "put at the start of the first block"))  # fmt: skip
    first = blocks[0]
    key = "description" if first["kind"] == "event" else "body"
    first[key] = body(lead) + "\n" + first.get(key, "")


def _blocks(lead, sections, ref: date, draft: Draft) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    at = next((i for i, (h, _) in enumerate(sections) if SECTION.match(h.text.rstrip(":"))),
              len(sections))  # fmt: skip
    for index, (heading, paras) in enumerate(sections[:at]):
        foreword = _foreword(heading, paras, draft) if index == 0 else None
        blocks.append(foreword or _news(heading, paras, ref, draft))
    if at < len(sections):
        if len(sections) - at > 1:
            blocks.append(_events(sections[at:], ref, draft))
        else:
            draft.notes.append(Note(sections[at][0].line, "events section with no event "
                                                          "headings: kept as an article"))
            blocks.append(_article(*sections[at], draft))
    if not blocks:
        heading = Para("heading", draft.data["title"], 1)
        blocks.append(_article(heading, lead, draft))
        draft.notes.append(Note(1, "no headings found: the whole text is one article"))
        lead = []
    _unplaced(lead, blocks, draft)
    return blocks


def recognise(source: Source, given: date | None = None) -> Draft:
    """The issue's data from a read source, with notes on every guess."""
    draft = Draft({}, unit=source.unit)
    rest, issue_day = _title(source, draft, given)
    lead, sections = _sections(rest)
    blocks = _blocks(lead, sections, issue_day, draft)
    _envelope(draft, blocks)
    for _line, event in draft.events:
        if ONLINE.search(event.get("location", "")):
            event["online"] = True
    draft.data["blocks"] = blocks
    draft.notes.sort(key=lambda n: n.line)
    return draft
