"""The roster: every contact, list and suppression in recipients/, ready to resolve.

``load_roster(project)`` reads it all; ``roster.resolve(["send-network"])`` gives
the members a send goes to (unique by address, suppressed people held back, in the
order they appear in the files).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsletter_cli.errors import InputError, UnknownNameError
from newsletter_cli.project import Project
from newsletter_cli.recipients import bitset
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.recipients.contacts import ContactsRead, read_contacts
from newsletter_cli.recipients.listdefs import (
    LISTS_FILE,
    ListDef,
    ListsFile,
    closest,
    did_you_mean,
    read_lists_file,
)
from newsletter_cli.recipients.outside import refuse_links_outside
from newsletter_cli.recipients.problems import Problem
from newsletter_cli.recipients.suppression import (
    MAIN_FILE,
    Suppression,
    is_suppression_file,
    read_suppressions,
)
from newsletter_cli.recipients.tags import tag_key


@dataclass
class Resolution:
    """Who a send to ``names`` goes to, and who matched but is held back."""

    names: tuple[str, ...]
    members: list[Contact]
    suppressed: list[Contact]
    suppressions: dict[str, Suppression] = field(repr=False, default_factory=dict)

    def reason(self, contact: Contact) -> str:
        """Why a held-back contact is suppressed, e.g. 'unsubscribed (recipients/...csv:4)'."""
        entry = self.suppressions.get(contact.email)
        return str(entry) if entry else ""

    def __len__(self) -> int:
        return len(self.members)


@dataclass
class Roster:
    """Contacts (merged by address), list definitions, suppressions and problems."""

    contacts: list[Contact]
    lists: dict[str, ListDef]
    suppressions: dict[str, Suppression]
    problems: list[Problem]
    lists_path: str = LISTS_FILE
    files: list[str] = field(default_factory=list)
    # Sets of contacts are bit sets: bit i stands for self.contacts[i] (see bitset.py).
    _position: dict[str, int] = field(default_factory=dict, repr=False)
    _by_tag: dict[str, int] = field(default_factory=dict, repr=False)
    _held: int = field(default=0, repr=False)
    _raw: dict[str, int] = field(default_factory=dict, repr=False)
    _lists_of: list[frozenset[str]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        size = len(self.contacts)
        self._position = {c.email: i for i, c in enumerate(self.contacts)}
        tagged: dict[str, list[int]] = {}
        for i, contact in enumerate(self.contacts):
            for tag in contact.tags:
                tagged.setdefault(tag, []).append(i)
        self._by_tag = {tag: bitset.from_positions(at, size) for tag, at in tagged.items()}
        held = (i for email, i in self._position.items() if email in self.suppressions)
        self._held = bitset.from_positions(held, size)

    # -- names -------------------------------------------------------------------------------

    def list_names(self) -> list[str]:
        """Every list, in the order of the lists file."""
        return list(self.lists)

    def tags(self) -> list[str]:
        """Every tag a contact carries, sorted."""
        return sorted(self._by_tag)

    def known_keys(self) -> frozenset[str]:
        """Every name a block's ``only_for`` may use: list names and tags in use."""
        return frozenset(self.lists) | frozenset(self._by_tag)

    def check_name(self, name: str) -> str:
        """``name`` if it is a list; else UnknownNameError naming the closest lists."""
        if name in self.lists:
            return name
        key = tag_key(name)
        if key in self.lists:
            return key
        near = closest(key or name, self.lists)
        message = f"no list named {name!r}"
        if key in self._by_tag:
            message += f" ({key!r} is a tag: name a list, or add one for it to {self.lists_path})"
        if near:
            message += f"; closest: {', '.join(near)}"
        raise UnknownNameError(
            message,
            hint=f"known lists: {', '.join(self.lists) or 'none'} (see 'newsletter lists')",
        )

    # -- membership --------------------------------------------------------------------------

    def _tagged(self, tags: Iterable[str]) -> int:
        found = 0
        for tag in tags:
            found |= self._by_tag.get(tag, 0)
        return found

    def _members(self, name: str) -> int:
        """A list's contacts before suppression, as a bit set (cached).

        The lists it draws on are worked out first, without recursion, so lists nested
        thousands deep resolve (the lists file has no loops: listdefs checks that).
        """
        raw = self._raw
        todo = [(name, False)]
        while todo:
            current, ready = todo.pop()
            if current in raw:
                continue
            definition = self.lists[current]
            if not ready:
                todo.append((current, True))
                todo.extend((o, False) for o in definition.lists if o not in raw)
                todo.extend((o, False) for o in definition.exclude_lists if o not in raw)
                continue
            chosen = bitset.full(len(self.contacts)) if definition.everyone else 0
            chosen |= self._tagged(definition.tags)
            for other in definition.lists:
                chosen |= raw[other]
            chosen &= ~self._tagged(definition.exclude_tags)
            for other in definition.exclude_lists:
                chosen &= ~raw[other]
            raw[current] = chosen
        return raw[name]

    def resolve(self, names: Sequence[str]) -> Resolution:
        """The union of the named lists: members (suppressed removed) and who was held back."""
        if isinstance(names, str):
            names = [names]
        if not names:
            raise UnknownNameError(
                "no list given", hint=f"known lists: {', '.join(self.lists) or 'none'}"
            )
        checked = tuple(dict.fromkeys(self.check_name(name) for name in names))
        chosen = 0
        for name in checked:
            chosen |= self._members(name)
        held = chosen & self._held
        contacts = self.contacts
        members = [contacts[i] for i in bitset.positions(chosen & ~held)]
        suppressed = [contacts[i] for i in bitset.positions(held)]
        return Resolution(checked, members, suppressed, self.suppressions)

    def sample_member(self, name: str) -> Contact | None:
        """The first member of a list (for previews), or None when it has nobody."""
        chosen = self._members(self.check_name(name)) & ~self._held
        return self.contacts[bitset.lowest(chosen)] if chosen else None

    def audience_keys(self, contact: Contact) -> frozenset[str]:
        """The contact's tags plus the name of every list the contact is in."""
        at = self._position.get(contact.email.lower())
        if at is None:
            return frozenset(contact.tags)
        return self.contacts[at].tags | contact.tags | self._lists_by_position()[at]

    def lists_of(self, contact: Contact) -> frozenset[str]:
        """Every list the contact is in (before suppression)."""
        at = self._position.get(contact.email.lower())
        return frozenset() if at is None else self._lists_by_position()[at]

    def _lists_by_position(self) -> list[frozenset[str]]:
        """For each contact, the lists it is in (computed once; equal sets shared)."""
        if self._lists_of is None:
            names: list[set[str]] = [set() for _ in self.contacts]
            for name in self.lists:
                for i in bitset.positions(self._members(name)):
                    names[i].add(name)
            shared: dict[frozenset[str], frozenset[str]] = {}
            self._lists_of = [shared.setdefault(frozenset(n), frozenset(n)) for n in names]
        return self._lists_of

    def list_audience_keys(self, name: str) -> frozenset[str]:
        """The keys every member of a list shares: what 'build --list NAME' should show.

        A block limited to one of these keys reaches every member of the list.
        """
        name = self.check_name(name)
        members = self._members(name) & ~self._held
        if not members:
            return frozenset({name})
        shared = {tag for tag, mask in self._by_tag.items() if bitset.is_subset(members, mask)}
        shared |= {
            other for other in self.lists if bitset.is_subset(members, self._members(other))
        }
        return frozenset(shared | {name})

    def suppression(self, email: str) -> Suppression | None:
        return self.suppressions.get(email.strip().lower())

    # -- problems ----------------------------------------------------------------------------

    def _closure(self, name: str) -> tuple[set[str], set[str], bool]:
        """The lists a list draws on (itself included), their tags, and whether it is 'all'."""
        names, tags, everyone = set(), set(), False
        todo = [name]
        while todo:
            current = todo.pop()
            if current in names:
                continue
            names.add(current)
            definition = self.lists[current]
            tags.update(definition.tags)
            everyone = everyone or definition.everyone
            todo.extend(definition.lists)
        return names, tags, everyone

    def problems_for(self, name: str) -> list[Problem]:
        """The problems that may change who is on a list."""
        names, tags, everyone = self._closure(self.check_name(name))
        keys = names | tags
        return [
            p
            for p in self.problems
            if p.keys is None or (everyone and p.contact_row) or not keys.isdisjoint(p.keys)
        ]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def _shown(project: Project, path: Path) -> str:
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return str(path)


def _tag_problems(read: ContactsRead, lists: ListsFile, counts: Counter[str]) -> list[Problem]:
    """Tags no list uses (typos?) and list tags no contact carries."""
    problems = []
    used: dict[str, str] = {}
    for definition in lists.lists.values():
        for setting in ("tags", "exclude_tags"):
            for tag in getattr(definition, setting):
                used.setdefault(tag, definition.name)
                if tag not in counts:
                    problems.append(
                        Problem(
                            lists.shown,
                            lists.line_of(definition.name, setting),
                            f"list {definition.name!r}: no contact has the tag {tag!r}"
                            f"{did_you_mean(tag, counts)}",
                            "warning",
                            frozenset({definition.name}),
                        )
                    )
    for tag, where in read.tag_first_seen.items():
        if tag not in used:
            path, _, line = where.rpartition(":")
            # A typo keeps its contacts off the list they were meant for: the lists using
            # a tag like it, or (when nothing is like it) any list.
            near = closest(tag, used)
            problems.append(
                Problem(
                    path,
                    int(line),
                    f"tag {tag!r} is used by no list in {lists.shown} ({counts[tag]} "
                    f"contact{'s' if counts[tag] != 1 else ''}){did_you_mean(tag, used)}",
                    "warning",
                    frozenset({tag, *near}) if near else None,
                )
            )
    return problems


def load_roster(project: Project, *, strict: bool = False) -> Roster:
    """Read recipients/: contacts (*.csv), suppressions, and the lists file.

    Mistakes that make the data unusable (a lists file error, a CSV without an email
    column) raise InputError. Data problems are collected in ``roster.problems``;
    with ``strict`` the first of them raises InputError instead.
    """
    folder = project.recipients_dir
    if not folder.is_dir():
        raise InputError(
            "no recipients folder",
            path=_shown(project, folder),
            hint="it holds the contacts CSV files, lists.yaml and suppressions.csv",
        )
    refuse_links_outside(project.root, folder)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    read = ContactsRead()
    suppressions: dict[str, Suppression] = {}
    contact_files = [p for p in files if not is_suppression_file(p)]
    suppression_files = [p for p in files if is_suppression_file(p)]
    for path in contact_files:
        read_contacts(path, _shown(project, path), read)
    problems = read.problems
    if not contact_files:
        problems.append(
            Problem(_shown(project, folder), None, "no contacts files (*.csv)", "warning")
        )
    for path in suppression_files:
        read_suppressions(path, _shown(project, path), suppressions, problems)
    if not suppression_files:
        problems.append(
            Problem(
                _shown(project, folder / MAIN_FILE),
                None,
                "no suppression file: nobody is suppressed (create it with an 'email' column)",
                "warning",
            )
        )
    lists_path = folder / LISTS_FILE
    counts: Counter[str] = Counter()
    for contact in read.contacts:
        counts.update(contact.tags)
    lists = read_lists_file(lists_path, _shown(project, lists_path), counts)
    problems.extend(_tag_problems(read, lists, counts))
    roster = Roster(
        contacts=read.contacts,
        lists=lists.lists,
        suppressions=suppressions,
        problems=problems,
        lists_path=lists.shown,
        files=[_shown(project, p) for p in contact_files],
    )
    if strict and problems:
        first = problems[0]
        raise InputError(
            first.message,
            path=first.path,
            line=first.line,
            hint=f"--strict: {len(problems)} problem(s) in the recipient files; "
            "see 'newsletter lists check'",
        )
    return roster
