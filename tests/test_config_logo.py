"""[sender] logo: an https:// address or a file under images/, nothing else (file:line, exit 2)."""

from __future__ import annotations

import pytest
from support.issues import SEPTEMBER

from newsletter_cli.config import load_config
from newsletter_cli.errors import ConfigError
from newsletter_cli.project import Project

SAMPLE_LOGO = 'logo = "images/regional-update-logo.png"'


def set_logo(project_dir, value: str) -> int:
    """Put ``value`` as the logo in the sample newsletter.toml; return its line."""
    path = project_dir / "newsletter.toml"
    text = path.read_text(encoding="utf-8")
    assert SAMPLE_LOGO in text
    text = text.replace(SAMPLE_LOGO, f"logo = {value}")
    path.write_text(text, encoding="utf-8")
    return text[: text.index("logo = ")].count("\n") + 1


BAD = [
    '"javascript:alert(1)"',
    '"JavaScript:alert(1)"',
    '"java\\tscript:alert(1)"',
    '"file:///etc/passwd"',
    '"data:image/png;base64,AAAA"',
    '"http://example.org/logo.png"',
    '"//evil.example/logo.png"',
    '"ftp://example.org/logo.png"',
    '"/etc/passwd.png"',
    '"images/../../secret.png"',
    '"logo.png"',
    '"https://"',
    '"https://exa mple.org/x.png"',
]


@pytest.mark.parametrize("value", BAD)
def test_a_logo_that_is_not_https_or_under_images_is_refused(project_dir, value):
    line = set_logo(project_dir, value)
    with pytest.raises(ConfigError) as caught:
        load_config(Project(project_dir))
    assert str(caught.value).startswith(f"{project_dir / 'newsletter.toml'}:{line}: sender.logo: ")
    assert "https://" in str(caught.value) and "images/" in str(caught.value)


@pytest.mark.parametrize("command", ["check", "build"])
def test_check_and_build_stop_with_exit_2(invoke, project_dir, command):
    line = set_logo(project_dir, '"javascript:alert(1)"')
    result = invoke(command, SEPTEMBER)
    assert result.exit_code == 2, result.output
    assert f"newsletter.toml:{line}: sender.logo:" in " ".join(result.output.split())
    assert not (project_dir / "build").exists()


@pytest.mark.parametrize(
    "value",
    [
        '"https://cdn.example.org/logo.png"',
        '"images/regional-update-logo.png"',
        '"images/brand/logo.png"',
    ],
)
def test_https_and_files_under_images_are_accepted(project_dir, value):
    set_logo(project_dir, value)
    assert load_config(Project(project_dir)).sender.logo == value.strip('"')
