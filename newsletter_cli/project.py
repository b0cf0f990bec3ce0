"""Where a project's files live: issues/, templates/, recipients/, images/, build/, site/.

Templates are looked up in the project's own ``templates/<name>/`` first, then among
the ones that come with the tool (``newsletter_cli/starter/templates/``), so a folder
made by ``newsletter init``, or one with no templates/ at all, works wherever the tool
is installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from newsletter_cli.errors import ConfigError, InputError

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
    def nearest(cls, start: Path | None = None) -> Project | None:
        """The nearest folder at or above ``start`` (default: the current one) with a
        newsletter.toml, or None."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_NAME).is_file():
                return cls(folder)
        return None

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest folder at or above ``start`` with a newsletter.toml; ConfigError if none."""
        found = cls.nearest(start)
        if found is None:
            raise ConfigError(no_project_message((start or Path.cwd()).resolve()))
        return found

    @classmethod
    def of_issue(cls, path: Path) -> Project:
        """The project an issue file belongs to: newsletter.toml from the file's folder up."""
        return cls.find(Path(path).resolve().parent)

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


def no_project_message(folder: Path) -> str:
    """What to say when no newsletter.toml is found at or above ``folder``."""
    return (
        f"no {CONFIG_NAME} in {folder} or above; cd into your newsletter folder, "
        "or run newsletter init"
    )


def issue_names(project: Project) -> list[str]:
    """The short names of the issues in ``project``'s issues/ folder, sorted."""
    folder = project.issues_dir
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml") if p.is_file())


def _names(name: str, ref: str) -> bool:
    """True when ``ref`` is the start of ``name``, or of ``name`` without its date
    (``regional-update`` names ``2026-01-regional-update``)."""
    undated = re.sub(r"^\d{4}-\d{2}(-\d{2})?-", "", name)
    return name.startswith(ref) or undated.startswith(ref)


def find_issue(ref: str | Path, project: Project | None = None) -> Path:
    """The issue file ``ref`` names: a path to a file, or a short name in issues/
    (``2026-01-regional-update``, with or without .yaml, or the start of it, with or
    without the date, that only one issue has: ``2026-01``, ``regional-update``).

    ``project`` is where short names are looked up (default: found from the current
    folder). InputError (listing the issues there are) when nothing or several match.
    """
    path = Path(ref)
    if path.is_file():
        return path
    text = str(ref)
    if "/" in text or "\\" in text or path.is_absolute():
        project = project or Project.nearest(path.parent if path.parent.is_dir() else None)
        text = path.name
    else:
        project = project or Project.nearest()
    if project is None:
        raise InputError("no such file", path=ref, hint=no_project_message(Path.cwd()))
    names = issue_names(project)
    stem = text.removesuffix(".yaml")
    matches = [stem] if stem in names else [n for n in names if _names(n, stem)]
    if len(matches) == 1 and stem:
        return project.issues_dir / f"{matches[0]}.yaml"
    there = ", ".join(names) if names else "none yet (newsletter new starts one)"
    if len(matches) > 1 and stem:
        raise InputError(
            f"could be any of {', '.join(matches)}; give more of the name", path=ref
        )
    raise InputError(
        "no such file", path=ref, hint=f"the issues in {project.issues_dir} are: {there}"
    )
