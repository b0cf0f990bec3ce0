"""The watcher notices saves, new files and deletions, and ignores editor droppings."""

from __future__ import annotations

import os
from pathlib import Path

from newsletter_cli.preview.watch import Watcher


def _bump_mtime(path: Path, seconds: int = 5) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + seconds * 1_000_000_000))


def test_version_stays_while_nothing_changes(tmp_path: Path) -> None:
    issue = tmp_path / "issue.yaml"
    issue.write_text("title: x\n")
    watcher = Watcher(files=[issue])
    assert watcher.poll() == watcher.poll() == 1


def test_saving_a_watched_file_bumps_the_version(tmp_path: Path) -> None:
    issue = tmp_path / "issue.yaml"
    issue.write_text("title: x\n")
    watcher = Watcher(files=[issue])
    issue.write_text("title: a longer title\n")
    assert watcher.poll() == 2
    _bump_mtime(issue)  # same size, later mtime: still a save
    assert watcher.poll() == 3
    assert watcher.poll() == 3


def test_files_added_changed_or_removed_in_a_folder_count(tmp_path: Path) -> None:
    templates = tmp_path / "templates" / "regional-update"
    templates.mkdir(parents=True)
    (templates / "email.mjml.j2").write_text("<mjml></mjml>")
    watcher = Watcher(folders=[tmp_path / "templates"])
    (templates / "partials").mkdir()
    (templates / "partials" / "new.mjml.j2").write_text("x")
    assert watcher.poll() == 2
    (templates / "email.mjml.j2").unlink()
    assert watcher.poll() == 3


def test_editor_swap_and_backup_files_are_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "recipients"
    folder.mkdir()
    (folder / "contacts.csv").write_text("email\n")
    watcher = Watcher(folders=[folder])
    (folder / ".contacts.csv.swp").write_text("swap")
    (folder / "contacts.csv~").write_text("backup")
    (folder / "#contacts.csv#").write_text("emacs")
    assert watcher.poll() == 1


def test_a_missing_file_or_folder_is_not_an_error(tmp_path: Path) -> None:
    issue = tmp_path / "issue.yaml"
    watcher = Watcher(files=[issue], folders=[tmp_path / "nowhere"])
    assert watcher.poll() == 1
    issue.write_text("title: now it exists\n")
    assert watcher.poll() == 2
