"""One source of truth for the web edition's address: [site] base_url (old configs still work)."""

from __future__ import annotations

import re

from support.issues import BASE, SEPTEMBER

from newsletter_cli.checks import run_checks
from newsletter_cli.config import load_config
from newsletter_cli.model.issue import load_issue
from newsletter_cli.render import render_email
from newsletter_cli.render.urls import site_base, view_online_url

PAGE = BASE + "2025-09-regional-update/"


def set_site(project, lines: str) -> None:
    config = project.config_path
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"\[site\]\n(?:.*\n)*?(?=\n\[)", "[site]\n" + lines, text)
    config.write_text(text, encoding="utf-8")


def email_links(project) -> list[str]:
    html = render_email(load_issue(project.root / SEPTEMBER), project).html
    return re.findall(r'(?:href|src)="(https://updates[^"]+)"', html)


def test_the_email_links_only_where_publish_writes(project):
    links = email_links(project)
    assert PAGE in links  # view in your browser
    ics = [u for u in links if u.endswith(".ics")]
    assert len(ics) == 7 and all(u.startswith(PAGE) for u in ics)
    assert [u for u in links if "/images/" in u][0].startswith(BASE + "images/regional-update-logo.")
    privacy = load_config(project).sender.privacy_url  # the organisation's own page
    assert privacy in links
    assert set(links) <= {PAGE, privacy} | set(ics) | {
        u for u in links if u.startswith(BASE + "images/")
    }


def test_an_old_config_with_only_view_online_url_still_works(project):
    set_site(project, 'view_online_url = "https://old.example.org/news/{slug}/"\n')
    config = load_config(project)
    assert site_base(config) == "https://old.example.org/news/"
    issue = load_issue(project.root / SEPTEMBER)
    assert view_online_url(issue, config) == "https://old.example.org/news/2025-09-regional-update/"
    links = render_email(issue, project).html
    assert 'href="https://old.example.org/news/2025-09-regional-update/"' in links
    assert "https://old.example.org/news/images/regional-update-logo." in links


def test_a_fixed_view_online_url_gives_no_base(project):
    set_site(project, 'view_online_url = "https://old.example.org/latest.html"\n')
    config = load_config(project)
    assert site_base(config) is None
    assert view_online_url(load_issue(project.root / SEPTEMBER), config) == "https://old.example.org/latest.html"


def test_base_url_wins_and_check_warns_when_view_online_url_disagrees(project):
    set_site(project, f'base_url = "{BASE}"\nview_online_url = "https://elsewhere.example.org/{{slug}}/"\n')
    assert PAGE in email_links(project)
    report = run_checks(load_issue(project.root / SEPTEMBER), project)
    warned = [f for f in report.warnings if "view_online_url" in f.message]
    assert len(warned) == 1
    text = project.config_path.read_text(encoding="utf-8")
    line = text[: text.index("view_online_url =")].count("\n") + 1
    assert warned[0].path == str(project.config_path) and warned[0].line == line
    assert f"publish puts this issue at {PAGE}" in warned[0].message


def test_agreeing_settings_raise_no_warning(project):
    set_site(project, f'base_url = "{BASE}"\nview_online_url = "{BASE}{{slug}}/"\n')
    report = run_checks(load_issue(project.root / SEPTEMBER), project)
    assert not [f for f in report.findings if "view_online_url" in f.message]


def test_an_issues_own_view_online_url_is_ignored_with_a_warning(project):
    path = project.root / SEPTEMBER
    text = path.read_text(encoding="utf-8").replace(
        "\nblocks:\n", '\nview_online_url: "https://blog.example.org/september"\nblocks:\n', 1)
    path.write_text(text, encoding="utf-8")
    assert PAGE in email_links(project)
    report = run_checks(load_issue(path), project)
    warned = [f for f in report.warnings if "is ignored" in f.message]
    assert len(warned) == 1 and warned[0].path is None
    assert warned[0].line == text[: text.index("view_online_url:")].count("\n") + 1


def test_base_url_must_be_a_full_address(project):
    import pytest

    from newsletter_cli.errors import ConfigError

    set_site(project, 'base_url = "updates.example.org"\n')
    with pytest.raises(ConfigError, match=r"newsletter.toml:\d+: site.base_url"):
        load_config(project)


def test_without_any_address_the_email_has_no_web_links(project):
    set_site(project, "")
    config = project.config_path
    config.write_text(re.sub(r"logo = .*\n", "", config.read_text(encoding="utf-8")))
    html = render_email(load_issue(project.root / SEPTEMBER), project).html
    assert "View this email in your browser" not in html and ".ics" not in html
