"""Where a project's files live: issues/, templates/, recipients/, images/, build/, site/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONFIG_NAME = "newsletter.toml"


@dataclass(frozen=True)
class Project:
    """The folder that holds newsletter.toml (or the current folder)."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest folder at or above ``start`` with a newsletter.toml, else ``start``."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_NAME).is_file():
                return cls(folder)
        return cls(here)

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def issues_dir(self) -> Path:
        return self.root / "issues"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def recipients_dir(self) -> Path:
        return self.root / "recipients"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def outbox_dir(self) -> Path:
        return self.root / "outbox"

    @property
    def site_dir(self) -> Path:
        """Where `newsletter publish` writes the web edition."""
        return self.root / "site"

    @property
    def images_dir(self) -> Path:
        """Local images that issues and the logo may name."""
        return self.root / "images"

    @property
    def state_dir(self) -> Path:
        """Private state that must survive a crash (the send journal)."""
        return self.root / ".newsletter"

    @property
    def journal_path(self) -> Path:
        return self.state_dir / "journal.sqlite"
