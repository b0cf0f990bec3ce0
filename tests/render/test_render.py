"""The render pipeline: inlined CSS, kept @media rules, safe Markdown, text part, audiences."""

from __future__ import annotations

import re

from support.issues import SEPTEMBER

from newsletter_cli.model.issue import load_issue
from newsletter_cli.render import TOKENS, UNSUBSCRIBE_SLOT, render_email


def render(project, path=SEPTEMBER, **kwargs):
    return render_email(load_issue(project.root / path), project, **kwargs)


def test_css_is_inlined_and_media_queries_survive(project):
    html = render(project).html
    assert html.lower().startswith("<!doctype html>")
    assert re.search(r"<h2[^>]*style=\"[^\"]*font-size:22px", html)
    assert re.search(r"<a [^>]*style=\"[^\"]*color:#0b4f8a", html)
    assert "@media only screen and (max-width: 480px)" in html
    assert "@media only screen and (min-width:480px)" in html  # MJML's column rule


def test_only_the_templates_inline_css_is_inlined(project):
    """MJML's own resets stay in <head> once, not repeated on every table cell."""
    html = render(project).html
    body = html[html.index("<body") :]
    assert "mso-table-lspace" not in body  # MJML's `table, td {...}` reset
    assert "overflow-wrap" not in body
    assert "margin:13px 0" not in body  # MJML's `p {...}` reset
    assert "data-premailer" not in html
    assert html.count("<style") >= 3  # MJML's resets, columns, the template's @media rules
    assert "<mj-style" not in html and 'inline="inline"' not in html


def test_accessible_structure(project):
    html = render(project).html
    assert '<html lang="en-GB"' in html
    assert html.count("<h1") == 1
    assert "<h2" in html and "<h3" in html
    assert "fonts.googleapis.com" not in html  # no web fonts fetched from outside


def test_subject_preheader_and_title(project):
    email = render(project)
    issue = load_issue(project.root / SEPTEMBER)
    assert email.subject == issue.subject
    assert issue.preheader in email.html
    assert f"<title>{issue.subject}</title>" in email.html
    assert render(project, test=True).subject == f"[TEST] {issue.subject}"


def test_markdown_html_is_escaped_not_executed(project):
    path = project.root / "issues" / "evil.yaml"
    path.write_text(
        "title: T\nissue_date: 2025-09-19\nsubject: S\nblocks:\n"
        "  - kind: article\n    heading: H\n    body: |\n"
        "      <script>alert(1)</script> <img src=x onerror=alert(2)>\n"
        "      [x](javascript:alert(3)) **bold**\n",
        encoding="utf-8",
    )
    email = render(project, "issues/evil.yaml")
    assert "<script>alert" not in email.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in email.html
    assert not re.search(r"<img[^>]*onerror", email.html)
    assert "&lt;img src=x onerror=alert(2)&gt;" in email.html
    assert 'href="javascript' not in email.html
    assert "<strong>bold</strong>" in email.html


def test_text_part_keeps_headings_event_details_and_urls(project):
    text = render(project).text
    assert "UPCOMING CONFERENCES AND EVENTS" in text
    assert "PWLE SEMINAR: CHILD CONTACT PROBLEMS AND THE FAMILY COURT" in text
    assert "When:     Wednesday 15 October 2025, 9:30am to 11am" in text
    assert "Book by:  Monday 22 September 2025" in text
    assert "https://updates.example.org/regional-update/2025-09-regional-update/" in text
    assert "natalie.bevan@wmchildrensservices.org.uk" in text
    assert "<" not in text.replace("<%", "")  # not HTML
    assert max(len(line) for line in text.splitlines() if "http" not in line) <= 78


def test_unsubscribe_slot_and_personalisation_tokens(project):
    email = render(project, recipient=TOKENS)
    assert UNSUBSCRIBE_SLOT in email.html and UNSUBSCRIBE_SLOT in email.text
    assert "Dear %first_name%," in email.text
    filled = email.personalise(
        {"first_name": "Amélie & Co", "email": "a@example.org"},
        unsubscribe_url="https://example.org/u?a=1&b=2",
    )
    assert "Dear Amélie &amp; Co," in filled.html
    assert "Dear Amélie & Co," in filled.text
    assert 'href="https://example.org/u?a=1&amp;b=2"' in filled.html
    assert "%first_name%" not in filled.html and UNSUBSCRIBE_SLOT not in filled.text


def test_greeting_falls_back_without_a_name(project):
    assert "Dear colleague," in render(project).text


def test_blocks_limited_to_an_audience(project):
    path = project.root / "issues" / "targeted.yaml"
    path.write_text(
        "title: T\nissue_date: 2025-09-19\nsubject: S\nblocks:\n"
        "  - kind: article\n    heading: For everyone\n    body: All.\n"
        "  - kind: article\n    heading: SEND only\n    body: Some.\n    only_for: [send-network]\n",
        encoding="utf-8",
    )
    everyone = render(project, "issues/targeted.yaml", audience=frozenset({"dcs"}))
    send = render(project, "issues/targeted.yaml", audience=frozenset({"send-network", "dcs"}))
    editor = render(project, "issues/targeted.yaml")
    assert "SEND only" not in everyone.html and "SEND only" not in everyone.text
    assert "SEND only" in send.html and "SEND only" in send.text
    assert "SEND only" in editor.html


def test_rendering_loads_only_what_it_needs(project_dir):
    """premailer without `requests` (it only fetches external CSS), and no contact roster."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from newsletter_cli.model.issue import load_issue\n"
        "from newsletter_cli.project import Project\n"
        "from newsletter_cli.render import render_email\n"
        f"email = render_email(load_issue({SEPTEMBER!r}), Project.find())\n"
        "assert 'style=' in email.html\n"
        "print(sorted(m for m in ('requests', 'newsletter_cli.recipients.roster', 'premailer',"
        " 'urllib.request', 'ssl', 'newsletter_cli.checks') if m in sys.modules))\n"
        "import urllib.request, cssutils.helper\n"  # the real module for whoever imports it
        "assert cssutils.helper.urllib.request is urllib.request\n"
        "assert urllib.request.pathname2url('/a b') == '/a%20b'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=project_dir, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "['premailer']"


def test_cssutils_stand_in_for_urllib_request_works_until_the_real_one_is_imported():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from newsletter_cli.render.pipeline import _premailer\n"
        "_premailer()\n"
        "import cssutils.helper\n"
        "assert 'urllib.request' not in sys.modules and 'ssl' not in sys.modules\n"
        "assert cssutils.helper.urllib.request.pathname2url('/a b') == '/a%20b'\n"
        "import urllib.request\n"
        "assert cssutils.helper.urllib.request is urllib.request\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "ok"


def test_premailers_stand_in_for_requests_is_the_real_module_when_used(project):
    from newsletter_cli.render.pipeline import _premailer

    premailer = _premailer()
    import requests

    assert premailer.premailer.requests.get is requests.get
