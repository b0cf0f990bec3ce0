"""Where a project's files live: issues/, templates/, recipients/, images/, build/, site/.

Templates are looked up in the project's own ``templates/<name>/`` first, then among
the ones that come with the tool (``newsletter_cli/starter/templates/``), so a folder
made by ``newsletter init``, or one with no templates/ at all, works wherever the tool
is installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONFIG_NAME = "newsletter.toml"
#: The starter project that `newsletter init` copies; its templates/ are the built-in ones.
STARTER = Path(__file__).with_name("starter")
BUILTIN_TEMPLATES = STARTER / "templates"
#: The file that makes a folder an email template.
TEMPLATE_MAIN = "email.mjml.j2"


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

    def template_folder(self, name: str) -> Path:
        """``templates/<name>/`` if the project has that template, else the built-in one.

        A folder counts as a template when it holds ``email.mjml.j2``. When neither has
        it, the project's path is returned (for the error message).
        """
        own = self.templates_dir / name
        builtin = BUILTIN_TEMPLATES / name
        plain = name not in {"", ".", ".."} and not set(name) & {"/", "\\", "\0"}
        if (own / TEMPLATE_MAIN).is_file() or not plain:
            return own
        return builtin if (builtin / TEMPLATE_MAIN).is_file() else own

    def template_names(self) -> list[str]:
        """Every template this project can use: its own and the built-in ones."""
        names = set()
        for folder in (self.templates_dir, BUILTIN_TEMPLATES):
            if folder.is_dir():
                names.update(p.name for p in folder.iterdir() if (p / TEMPLATE_MAIN).is_file())
        return sorted(names)

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
