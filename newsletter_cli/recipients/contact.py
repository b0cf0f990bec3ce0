"""One person the newsletter can go to."""

from __future__ import annotations

from dataclasses import dataclass, field

FALLBACK_GREETING_NAME = "colleague"
TITLES = frozenset(
    "mr mrs ms miss mx dr prof professor cllr councillor sir dame rev revd lord lady".split()
)

# Column names as spreadsheets spell them (after header_name()) -> our field.
COLUMNS = {
    "email": "email", "e_mail": "email", "email_address": "email",
    "e_mail_address": "email", "work_email": "email", "e_mail_1_value": "email",
    "name": "name", "full_name": "name", "display_name": "name", "contact_name": "name",
    "first_name": "first_name", "given_name": "first_name", "forename": "first_name",
    "last_name": "last_name", "surname": "last_name", "family_name": "last_name",
    "organisation": "organisation", "organization": "organisation", "org": "organisation",
    "local_authority": "organisation", "authority": "organisation", "la": "organisation",
    "council": "organisation", "employer": "organisation", "company": "organisation",
    "role": "role", "job_title": "role", "position": "role", "job_role": "role",
    "tags": "tags", "tag": "tags", "labels": "tags", "groups": "tags",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Contact:
    """A validated contact. ``email`` is normalised to lower case."""

    email: str
    name: str = ""
    organisation: str = ""
    role: str = ""
    tags: frozenset[str] = field(default_factory=frozenset)
    source: str = ""  # "recipients/contacts.csv:12" where it was read

    @property
    def first_name(self) -> str:
        """The name to greet with, else 'colleague'.

        'Dr Jane Smith' and 'Smith, Jane' give 'Jane'; 'Dr Smith' stays 'Dr Smith'.
        """
        name = self.name
        surname, comma, given = name.partition(",")
        if comma and len(surname.split()) == 1 and given.strip() and "," not in given:
            name = f"{given} {surname}"
        words = name.split()
        parts = [w for w in words if w.lower().rstrip(".") not in TITLES]
        if len(parts) == 1 and len(words) > 1:
            return " ".join(words)  # a title and a surname: 'Dr Smith'
        return parts[0] if parts else FALLBACK_GREETING_NAME

    def fields(self) -> dict[str, str]:
        """The values templates may use as ``recipient.<field>``."""
        return {
            "email": self.email,
            "name": self.name,
            "first_name": self.first_name,
            "organisation": self.organisation,
            "role": self.role,
        }


PERSONAL_FIELDS = ("email", "name", "first_name", "organisation", "role")
