"""Compiled templates go to the per-user cache folder the system names (platformdirs)."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest
from platformdirs.macos import MacOS

from newsletter_cli.render.pipeline import _bytecode_cache


def at_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Make ``home`` the user's home folder (HOME; USERPROFILE where Windows reads it)."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))


def test_linux_uses_xdg_cache_home_then_dot_cache(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.unix.Unix)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert Path(_bytecode_cache()) == tmp_path / "xdg" / "newsletter" / "jinja"
    monkeypatch.delenv("XDG_CACHE_HOME")
    at_home(monkeypatch, tmp_path / "home")
    assert Path(_bytecode_cache()) == tmp_path / "home" / ".cache" / "newsletter" / "jinja"


def test_macos_uses_library_caches_not_dot_cache(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(platformdirs, "PlatformDirs", MacOS)  # platformdirs' own macOS rules
    at_home(monkeypatch, tmp_path)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    folder = Path(_bytecode_cache())
    assert folder == tmp_path / "Library" / "Caches" / "newsletter" / "jinja"
    assert folder.is_dir() and not (tmp_path / ".cache").exists()


def test_an_unwritable_cache_folder_means_no_cache(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.unix.Unix)
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    assert _bytecode_cache() is None
