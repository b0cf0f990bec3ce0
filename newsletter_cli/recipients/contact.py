"""One person the newsletter can go to."""

from __future__ import annotations

from dataclasses import dataclass, field

FALLBACK_GREETING_NAME = "colleague"


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
        """The first word of the name, or a polite fallback when there is no name."""
        parts = self.name.split()
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
