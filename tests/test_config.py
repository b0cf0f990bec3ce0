"""newsletter.toml: defaults without a file, one-line errors with lines, no secrets."""

from __future__ import annotations

import pytest

from newsletter_cli.config import load_config
from newsletter_cli.errors import ConfigError
from newsletter_cli.project import Project


def test_defaults_without_a_file(tmp_path):
    config = load_config(Project(tmp_path))
    assert config.delivery.backend == "outbox"
    assert config.sender.from_email.endswith("example.org")


def test_sample_config(project):
    config = load_config(project)
    assert config.sendgrid.unsubscribe_group == 12345
    assert config.site.base_url == "https://updates.example.org/regional-update/"
    assert config.sender.logo == "images/regional-update-logo.png" and config.sender.logo_alt


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("[sender]\nfrom_email = 'nope'\n", 2, "sender.from_email: not an email"),
        ("[delivery]\nbackend = 'carrier-pigeon'\n", 2, "delivery.backend"),
        ("[sender\nfrom_email = 'a@b.org'\n", 1, "TOML syntax"),
    ],
)
def test_mistakes_name_file_and_line(tmp_path, text, line, words):
    (tmp_path / "newsletter.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(Project(tmp_path))
    assert str(caught.value).startswith(f"{tmp_path / 'newsletter.toml'}:{line}: ")
    assert words in str(caught.value)


def test_an_api_key_in_the_file_is_refused_and_not_echoed(tmp_path):
    (tmp_path / "newsletter.toml").write_text("[sendgrid]\napi_key = 'SG.secret-value'\n")
    with pytest.raises(ConfigError) as caught:
        load_config(Project(tmp_path))
    assert "SENDGRID_API_KEY" in str(caught.value)
    assert "secret-value" not in str(caught.value)


def test_project_is_found_from_a_subfolder(project_dir):
    sub = project_dir / "issues"
    assert Project.find(sub).root == project_dir
