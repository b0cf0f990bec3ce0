"""Block kinds: callout, button, quote, image, people, and kinds a template declares itself."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from newsletter_cli.checks import run_checks
from newsletter_cli.errors import InputError
from newsletter_cli.model.blocks import ButtonBlock, Callout, ImageBlock, People, Quote
from newsletter_cli.model.issue import load_issue
from newsletter_cli.render import render_email

HEAD = "title: T\nissue_date: 2025-09-19\nsubject: September news\npreheader: All the news\nblocks:\n"


def write(project, blocks: str, name: str = "b.yaml") -> Path:
    path = project.root / "issues" / name
    path.write_text(HEAD + blocks, encoding="utf-8")
    return path


def messages(report, severity: str) -> list[str]:
    return [f.message for f in report.findings if f.severity == severity]


# --- callout -------------------------------------------------------------------------------

CALLOUT = """\
  - kind: callout
    heading: Secondment applications close soon
    body: |
      Send your CV by **Friday 23 May 2025**. See the [job description](TODO).
    links:
      - text: Apply now
        url: https://example.org/apply
"""


def test_callout_renders_highlighted_in_both_parts_and_in_the_contents(project):
    issue = load_issue(write(project, CALLOUT))
    assert isinstance(issue.blocks[0], Callout)
    email = render_email(issue, project)
    assert re.search(r"background-color:#fff4d6;border-left:6px solid #b35c00", email.html)
    assert "<strong>Friday 23 May 2025</strong>" in email.html
    assert 'href="#secondment-applications-close-soon"' in email.html
    assert "SECONDMENT APPLICATIONS CLOSE SOON" in email.text
    assert "Apply now: https://example.org/apply" in email.text
    report = run_checks(issue, project)
    assert any('"job description" has a placeholder URL' in m for m in messages(report, "error"))


# --- button --------------------------------------------------------------------------------


def test_button_is_a_real_mjml_button_with_a_note(project):
    issue = load_issue(write(project, "  - kind: button\n    text: Read the annual report\n"
                                      "    url: https://example.org/report\n"
                                      "    note: A 20-page PDF\n"))
    assert isinstance(issue.blocks[0], ButtonBlock)
    email = render_email(issue, project)
    (link,) = lxml.html.document_fromstring(email.html).xpath("//td[@bgcolor]/a")
    assert link.get("href") == "https://example.org/report"
    assert link.text_content() == "Read the annual report"
    assert "padding:13px 22px" in link.get("style") and "line-height:20px" in link.get("style")
    assert "A 20-page PDF" in email.html
    assert "Read the annual report: https://example.org/report\nA 20-page PDF" in email.text
    assert "In this issue" not in email.html  # a button has no heading to list


def test_button_checks_its_link(project):
    report = run_checks(load_issue(write(project, "  - kind: button\n    text: Click here\n"
                                                  "    url: TODO\n")), project)
    assert 'link "Click here" has a placeholder URL (\'TODO\')' in messages(report, "error")
    assert any("says nothing out of context" in m for m in messages(report, "warning"))
    assert report.errors[0].line == 8


def test_button_refuses_a_bad_scheme(project):
    with pytest.raises(InputError) as caught:
        load_issue(write(project, "  - kind: button\n    text: Go\n    url: javascript:alert(1)\n"))
    assert str(caught.value).startswith(
        f'{project.root}/issues/b.yaml:8: block 1 (button "Go"), url: a link'
    )


# --- quote ---------------------------------------------------------------------------------


def test_quote_shows_the_words_and_who_said_them(project):
    issue = load_issue(write(project, '  - kind: quote\n    text: "Improvement is shared work."\n'
                                      "    author: James Thomas\n    role: RIIA Sponsor\n"))
    assert isinstance(issue.blocks[0], Quote)
    email = render_email(issue, project)
    assert re.search(r"<blockquote[^>]*><p[^>]*>Improvement is shared work.</p></blockquote>",
                     email.html)
    assert "<strong>James Thomas</strong>, RIIA Sponsor" in email.html
    assert "  Improvement is shared work.\n  - James Thomas, RIIA Sponsor" in email.text


def pictures(doc):
    """The email's images but the header's logo (the sample's newsletter.toml names one)."""
    return [img for img in doc.xpath("//img") if "regional-update-logo" not in img.get("src")]


# --- image ---------------------------------------------------------------------------------


def test_image_with_alt_caption_and_link(project):
    issue = load_issue(write(project, "  - kind: image\n    src: https://example.org/team.jpg\n"
                                      "    alt: The Walsall team with their award\n"
                                      "    caption: Walsall, judged Outstanding\n"
                                      "    href: https://example.org/awards\n    width: 400\n"))
    assert isinstance(issue.blocks[0], ImageBlock)
    email = render_email(issue, project)
    (img,) = pictures(lxml.html.document_fromstring(email.html))
    assert img.get("alt") == "The Walsall team with their award" and img.get("width") == "400"
    assert img.getparent().get("href") == "https://example.org/awards"
    assert "Walsall, judged Outstanding" in email.html
    assert "[Picture: The Walsall team with their award] Walsall, judged Outstanding" in email.text
    assert run_checks(issue, project).ok


def test_image_checks_alt_text_and_link(project):
    report = run_checks(load_issue(write(project, "  - kind: image\n    src: https://example.org/a.jpg\n"
                                                  "    href: TODO\n")), project)
    errors = messages(report, "error")
    assert "image https://example.org/a.jpg has no alt text" in errors
    assert "link \"href\" has a placeholder URL ('TODO')" in errors


def test_decorative_image_with_empty_alt_passes(project):
    report = run_checks(load_issue(write(project, '  - kind: image\n    src: https://example.org/a.jpg\n'
                                                  '    alt: ""\n')), project)
    assert report.ok


# --- people --------------------------------------------------------------------------------

PEOPLE = """\
  - kind: people
    heading: New appointments
    people:
      - name: John Macilwraith
        role: Director of Children's Services
        organisation: Dudley Council
        text: Starts in **November**.
      - name: Natalie Bevan
        role: SEND Co-ordinator
        organisation: West Midlands Regional Team
        photo: {src: "https://example.org/natalie.jpg", alt: "Natalie Bevan"}
        contact: natalie.bevan@example.org
"""


def test_people_show_name_role_organisation_photo_and_contact(project):
    issue = load_issue(write(project, PEOPLE))
    assert isinstance(issue.blocks[0], People)
    email = render_email(issue, project)
    doc = lxml.html.document_fromstring(email.html)
    assert [h.text for h in doc.xpath("//h3")] == ["John Macilwraith", "Natalie Bevan"]
    assert "<strong>Director of Children's Services</strong>, Dudley Council" in email.html
    (img,) = pictures(doc)
    assert img.get("alt") == "Natalie Bevan"
    assert 'href="mailto:natalie.bevan@example.org"' in email.html
    assert "John Macilwraith, Director of Children's Services, Dudley Council" in email.text
    assert "Contact: natalie.bevan@example.org" in email.text
    assert 'href="#new-appointments"' in email.html


def test_people_check_photos_and_text(project):
    text = PEOPLE.replace(', alt: "Natalie Bevan"', "").replace(
        "Starts in **November**.", "See [the announcement](TODO).")
    report = run_checks(load_issue(write(project, text)), project)
    errors = messages(report, "error")
    assert "image https://example.org/natalie.jpg has no alt text" in errors
    assert any('"the announcement" has a placeholder URL' in m for m in errors)
    assert all(f.block == "New appointments" for f in report.errors)


def test_people_contact_must_be_an_address(project):
    with pytest.raises(InputError) as caught:
        load_issue(write(project, PEOPLE.replace("natalie.bevan@example.org", "Natalie")))
    assert (':17: block 1 (people "New appointments"), person 2 ("Natalie Bevan"), contact: '
            "not an email address") in str(caught.value)


def test_unknown_kind_lists_every_kind(project):
    with pytest.raises(InputError) as caught:
        load_issue(write(project, "  - kind: picture\n    src: x\n"))
    message = str(caught.value)
    assert ":6: block 1 (picture): unknown block kind 'picture'" in message
    for kind in ("callout", "button", "quote", "image", "people"):
        assert kind in message


# --- kinds a template declares -------------------------------------------------------------

VACANCY = """\
description: A job or secondment on offer
heading: title
fields:
  title: {type: str, required: true}
  body: markdown
  closing: {type: date, required: true}
  interview: datetime
  apply: url
  hours: {type: str, default: "Two days a week"}
  tags: list
  remote: {type: bool, default: false}
"""

VACANCY_PARTIAL = """\
    <mj-section>
      <mj-column>
        <mj-text>
          <h2 id="{{ anchor(block) }}">{{ block.title }}</h2>
          {{ block.body | markdown }}
          <p>{{ block.hours }}. Closes {{ block.closing | day }}.{% if block.remote %} Remote.{% endif %}</p>
        </mj-text>
{% if block.apply %}
        <mj-button href="{{ block.apply }}">Apply</mj-button>
{% endif %}
      </mj-column>
    </mj-section>
"""

ISSUE_VACANCY = """\
  - kind: vacancy
    title: Regional SEND RIIA Co-ordinator
    body: A **secondment** for two days a week.
    closing: "2025-10-23"
    interview: "2025-10-30 14:00"
    apply: https://example.org/apply
    tags: [send, secondment]
"""


@pytest.fixture
def declared(project):
    folder = project.templates_dir / "regional-update" / "blocks"
    folder.mkdir()
    (folder / "vacancy.yaml").write_text(VACANCY, encoding="utf-8")
    (folder / "vacancy.mjml.j2").write_text(VACANCY_PARTIAL, encoding="utf-8")
    return folder


def test_a_declared_kind_loads_renders_and_lists_in_contents(project, declared):
    issue = load_issue(write(project, ISSUE_VACANCY))
    block = issue.blocks[0]
    assert block.kind == "vacancy" and block.heading == "Regional SEND RIIA Co-ordinator"
    assert block.hours == "Two days a week" and block.remote is False
    assert block.closing.isoformat() == "2025-10-23" and block.tags == ["send", "secondment"]
    assert block.line == 6 and block.field_line("closing") == 9
    email = render_email(issue, project)
    assert "<strong>secondment</strong>" in email.html
    assert "Two days a week. Closes Thursday 23 October 2025." in email.html
    assert 'href="#regional-send-riia-co-ordinator"' in email.html
    assert 'href="https://example.org/apply"' in email.html
    # No text partial of its own: the fields in order.
    text = email.text
    part = text[text.index("REGIONAL SEND RIIA CO-ORDINATOR\n\n") :]
    assert part.index("A secondment for two days a week.") < part.index(
        "Closing: Thursday 23 October 2025") < part.index(
        "Interview: Thursday 30 October 2025, 2pm") < part.index(
        "Apply: https://example.org/apply") < part.index("- send\n- secondment")


def test_a_declared_kind_is_validated_like_a_built_in_one(project, declared):
    cases = {
        ISSUE_VACANCY.replace('    closing: "2025-10-23"\n', ""): (6, "closing: is required"),
        ISSUE_VACANCY.replace("2025-10-23", "2025-10-32"): (9, "closing: not a real date"),
        ISSUE_VACANCY.replace('"2025-10-23"', '"2025-10-23 10:00"'): (9, "closing: write a date"),
        ISSUE_VACANCY.replace('"2025-10-30 14:00"', '"2025-10-30"'): (10, "interview: write a date and time"),
        ISSUE_VACANCY.replace("https://example.org/apply", "ftp://x"): (11, "apply: a link must start"),
        ISSUE_VACANCY + "    salary: lots\n": (13, "salary: is not a field here"),
        ISSUE_VACANCY.replace("tags: [send, secondment]", "tags: send"): (12, "tags: tags must be a list: write each item on a line of its own starting with '- ', or all in brackets: tags: [send]"),
    }
    for text, (line, words) in cases.items():
        path = write(project, text)
        with pytest.raises(InputError) as caught:
            load_issue(path)
        message = str(caught.value)
        assert message.startswith(f"{path}:{line}: "), message
        assert words in message, message


def test_a_declared_kind_gets_the_same_checks(project, declared):
    text = ISSUE_VACANCY.replace("https://example.org/apply", "TODO").replace(
        "A **secondment**", "A [secondment](TODO)")
    report = run_checks(load_issue(write(project, text)), project)
    errors = messages(report, "error")
    assert "link \"apply\" has a placeholder URL ('TODO')" in errors
    assert any('"secondment" has a placeholder URL' in m for m in errors)
    assert all(f.block == "Regional SEND RIIA Co-ordinator" for f in report.errors)


def test_unknown_kind_names_the_declared_ones_too(project, declared):
    with pytest.raises(InputError) as caught:
        load_issue(write(project, "  - kind: vacancies\n"))
    assert "vacancy" in str(caught.value)


def test_a_changed_declaration_is_picked_up(project, declared):
    load_issue(write(project, ISSUE_VACANCY))
    (declared / "vacancy.yaml").write_text(VACANCY + "  grade: {type: str, required: true}\n")
    with pytest.raises(InputError, match="grade: is required"):
        load_issue(write(project, ISSUE_VACANCY))


def test_the_cli_builds_a_declared_kind(invoke, project_dir, declared):
    (project_dir / "issues" / "v.yaml").write_text(HEAD + ISSUE_VACANCY, encoding="utf-8")
    result = invoke("build", "issues/v.yaml")
    assert result.exit_code == 0, result.output
    html = (project_dir / "build" / "v" / "index.html").read_text(encoding="utf-8")
    assert "Regional SEND RIIA Co-ordinator" in html


DECLARATION_MISTAKES = {
    "unknown type": (VACANCY.replace("body: markdown", "body: markdwn"), 5,
                     "fields.body.type: input should be"),
    "unknown setting": (VACANCY.replace("heading: title", "headline: title"), 2,
                        "headline: is not a field here"),
    "required with a default": (VACANCY.replace("required: true}", "required: true, default: x}", 1),
                                4, "fields.title: a required field takes no default"),
    "default of the wrong type": (VACANCY.replace("default: false", "default: maybe"), 11,
                                  "fields.remote.default: not a bool: input should be"),
    "reserved name": (VACANCY.replace("  tags: list", "  only_for: list"), 10,
                      "fields.only_for: 'only_for' is reserved"),
    "bad name": (VACANCY.replace("  tags: list", "  Tags: list"), 10,
                 "fields.Tags: a field name is lower-case"),
    "heading not a str field": (VACANCY.replace("heading: title", "heading: closing"), 2,
                                "heading: 'closing' is not one of this kind's str fields"),
    "YAML": (VACANCY.replace("fields:", "fields: [", 1), 5, "YAML syntax"),
    "no fields": ("description: nothing\n", 1, "fields: is required"),
}


@pytest.mark.parametrize("case", sorted(DECLARATION_MISTAKES))
def test_declaration_mistakes_name_the_declaration_file_and_line(invoke, project_dir, declared, case):
    text, line, words = DECLARATION_MISTAKES[case]
    (declared / "vacancy.yaml").write_text(text, encoding="utf-8")
    (project_dir / "issues" / "v.yaml").write_text(HEAD + ISSUE_VACANCY, encoding="utf-8")
    result = invoke("build", "issues/v.yaml")
    assert result.exit_code == 2, result.output
    assert f"templates/regional-update/blocks/vacancy.yaml:{line}: " in result.output
    assert words in result.output
    assert "Traceback" not in result.output


def test_declaration_file_name_and_partial(project, declared):
    (declared / "article.yaml").write_text(VACANCY, encoding="utf-8")
    (declared / "article.mjml.j2").write_text(VACANCY_PARTIAL, encoding="utf-8")
    with pytest.raises(InputError, match="'article' is a built-in block kind"):
        load_issue(write(project, ISSUE_VACANCY))
    (declared / "article.yaml").unlink()
    (declared / "job.yaml").write_text(VACANCY, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_issue(write(project, ISSUE_VACANCY))
    assert "blocks/job.yaml: no partial job.mjml.j2 beside this file" in str(caught.value)


def test_another_template_does_not_see_the_declared_kinds(project, declared):
    (project.templates_dir / "plain").mkdir()
    path = project.root / "issues" / "t.yaml"
    path.write_text(HEAD.replace("blocks:\n", "template: plain\nblocks:\n") + ISSUE_VACANCY,
                    encoding="utf-8")
    with pytest.raises(InputError, match="unknown block kind 'vacancy'"):
        load_issue(path)
