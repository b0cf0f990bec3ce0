"""newsletter.toml: required (no built-in sender), one-line errors with lines, no secrets."""

from __future__ import annotations

import pytest

from newsletter_cli.config import load_config
from newsletter_cli.errors import ConfigError
from newsletter_cli.project import Project


def test_no_file_is_an_error_not_built_in_defaults(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(Project(tmp_path))
    assert caught.value.exit_code == 2
    assert str(caught.value) == (
        f"no newsletter.toml in {tmp_path} or above; cd into your newsletter folder, "
        "or run newsletter init"
    )


@pytest.mark.parametrize("text", ["[delivery]\nbackend = 'outbox'\n", "[sender]\nfrom_name = 'Team'\n"])
def test_a_sender_without_from_email_is_never_filled_in(tmp_path, text):
    (tmp_path / "newsletter.toml").write_text(text, encoding="utf-8")
    config = load_config(Project(tmp_path))
    assert config.delivery.backend == "outbox"  # the rest of the file still reads
    with pytest.raises(ConfigError) as caught:
        config.sender  # noqa: B018 - reading it is the test
    assert str(caught.value).startswith(f"{tmp_path / 'newsletter.toml'}: no sender")
    assert "from_email" in str(caught.value)


def test_organisation_defaults_to_the_from_name_not_a_built_in_one(tmp_path):
    (tmp_path / "newsletter.toml").write_text(
        "[sender]\nfrom_name = 'Team A'\nfrom_email = 'a@team.org'\n", encoding="utf-8"
    )
    sender = load_config(Project(tmp_path)).sender
    assert sender.organisation == "Team A" and sender.address == ""


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


def test_no_project_above_is_an_error(outside_dir):
    with pytest.raises(ConfigError, match="no newsletter.toml in .* or above; cd into"):
        Project.find(outside_dir)
