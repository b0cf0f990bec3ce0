"""`--screenshot DIR`: PNGs at 600 and 375 px from the system's headless Chromium."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsletter_cli.errors import InputError, UnknownNameError
from newsletter_cli.preview import BrowserMissing, find_chromium, take_screenshots
from newsletter_cli.preview.chromium import CHROMIUM_ENV
from newsletter_cli.project import Project

from .helpers import BROKEN_YAML, png_size, write


@pytest.mark.browser
def test_screenshots_are_written_at_both_widths(invoke, issue_path: Path, project_dir: Path):
    result = invoke("preview", str(issue_path), "--screenshot", "shots")
    assert result.exit_code == 0, result.output
    desktop = project_dir / "shots" / "preview-test-desktop-600.png"
    phone = project_dir / "shots" / "preview-test-phone-375.png"
    assert str(Path("shots") / desktop.name) in result.output
    assert sorted(p.name for p in (project_dir / "shots").iterdir()) == [
        desktop.name,
        phone.name,
    ]
    desktop_size, phone_size = png_size(desktop), png_size(phone)
    assert desktop_size[0] == 600 and phone_size[0] == 375
    # The whole email, not just the first screen; narrower means taller.
    assert desktop_size[1] > 800 and phone_size[1] > desktop_size[1]


@pytest.mark.browser
def test_screenshots_for_a_list_are_named_after_it(issue_path: Path, project: Project,
                                                   tmp_path: Path) -> None:
    result = take_screenshots(issue_path, project, tmp_path / "out", list_name="dcs")
    names = [shot.path.name for shot in result.shots]
    assert names == ["preview-test-dcs-desktop-600.png", "preview-test-dcs-phone-375.png"]
    assert [png_size(shot.path)[0] for shot in result.shots] == [600, 375]
    assert not any(shot.overflows for shot in result.shots)


def test_a_broken_issue_writes_no_screenshots(issue_path: Path, project: Project,
                                              project_dir: Path) -> None:
    write(project_dir / issue_path, BROKEN_YAML)
    with pytest.raises(InputError, match=r"^issues/preview-test.yaml:2: "):
        take_screenshots(issue_path, project, project_dir / "shots")
    assert not (project_dir / "shots").exists()


def test_an_unknown_list_writes_no_screenshots(issue_path: Path, project: Project,
                                               project_dir: Path) -> None:
    with pytest.raises(UnknownNameError, match="no list named 'nobody'"):
        take_screenshots(issue_path, project, project_dir / "shots", list_name="nobody")
    assert not (project_dir / "shots").exists()


@pytest.mark.browser
def test_the_system_chromium_is_found() -> None:
    assert Path(find_chromium()).name.startswith("chromium")


def test_no_chromium_is_a_clear_error_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(CHROMIUM_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "linux")  # no well-known Chrome folders either
    with pytest.raises(BrowserMissing, match="no Chromium, Chrome or Edge is installed") as err:
        find_chromium()
    assert "apt-get install chromium" in (err.value.hint or "")


def test_the_cli_reports_a_missing_chromium_in_one_line(
    invoke, issue_path: Path, project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, str(project_dir / "no-such-chromium"))
    result = invoke("preview", str(issue_path), "--screenshot", "shots")
    assert result.exit_code == 1
    assert "no-such-chromium is not an executable file" in result.output
    assert "hint: install Debian's Chromium" in result.output
    assert "Traceback" not in result.output
