"""Which browser --screenshot uses: Debian's Chromium, else Chrome or Edge where installed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from newsletter_cli.preview.chromium import CHROMIUM_ENV, find_chromium, known_places


def fake_program(path: Path) -> Path:
    """An executable file standing in for a browser (never started)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def empty_system(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No browser on PATH, none named by NEWSLETTER_CHROMIUM; a folder for the fakes."""
    monkeypatch.delenv(CHROMIUM_ENV, raising=False)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    return bin_dir


def test_path_order_debian_chromium_then_chrome_then_edge(empty_system: Path) -> None:
    exe = ".exe" if os.name == "nt" else ""  # how Windows names a program on PATH
    found = [fake_program(empty_system / f"{name}{exe}")
             for name in ("chromium", "google-chrome", "msedge")]  # fmt: skip
    for program in found:
        assert Path(find_chromium()).resolve() == program.resolve()
        program.unlink()


def test_the_environment_variable_wins_over_path(empty_system: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    fake_program(empty_system / "chromium")
    chosen = fake_program(tmp_path / "elsewhere" / "my-chrome")
    monkeypatch.setenv(CHROMIUM_ENV, str(chosen))
    assert find_chromium() == str(chosen)


def test_windows_finds_chrome_then_edge_in_program_files(
    empty_system: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"PROGRAMFILES": str(tmp_path / "pf"), "PROGRAMFILES(X86)": str(tmp_path / "pf86"),
           "LOCALAPPDATA": str(tmp_path / "local")}  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    places = known_places("win32", env)
    assert places[0] == tmp_path / "pf" / "Google" / "Chrome" / "Application" / "chrome.exe"
    assert places[-1] == tmp_path / "local" / "Microsoft" / "Edge" / "Application" / "msedge.exe"
    assert len(places) == 6

    monkeypatch.setattr(sys, "platform", "win32")
    edge = fake_program(tmp_path / "pf86" / "Microsoft" / "Edge" / "Application" / "msedge.exe")
    assert find_chromium() == str(edge)
    chrome = fake_program(tmp_path / "local" / "Google" / "Chrome" / "Application" / "chrome.exe")
    assert find_chromium() == str(chrome)  # Chrome before Edge, wherever it is installed


def test_macos_looks_in_applications_and_the_users_own(tmp_path: Path) -> None:
    places = known_places("darwin", {}, home=tmp_path)
    assert places[:2] == [
        Path("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
        tmp_path / "Applications" / "Google Chrome.app" / "Contents" / "MacOS" / "Google Chrome",
    ]
    assert Path("/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge") in places
    assert known_places("linux", {"PROGRAMFILES": str(tmp_path)}) == []


def test_without_playwright_the_screenshot_says_what_to_install(
    invoke, issue_path: Path, project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "playwright", None)
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    result = invoke("preview", str(issue_path), "--screenshot", "shots")
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines()[-1].endswith(
        "preview --screenshot needs the optional package playwright: "
        'pipx inject newsletter playwright (or pip install "newsletter[screenshots]")'
    )
    assert "Traceback" not in result.output
    assert not (project_dir / "shots").exists()
