"""Design for action, measured on the rendered HTML: buttons, the diary, anchors, calendar link
names, GOV.UK times, nothing invented, dark mode, the preheader, text size and contrast."""

from __future__ import annotations

import re

import lxml.html
import pytest
from support.issues import APRIL, SEPTEMBER

from newsletter_cli.model.issue import load_issue
from newsletter_cli.render import render_email

#: The September HTML, Outlook conditionals included: well under Gmail's 102 KB clip. Each
#: piece of screen-reader text carries its hiding inline (about 6 KB in all), so that it stays
#: hidden where <style> is dropped or `position` stripped.
BUDGET = 72 * 1024


@pytest.fixture
def september(project):
    return render_email(load_issue(project.root / SEPTEMBER), project)


def tree(html: str):
    return lxml.html.document_fromstring(html)


def styles(element) -> dict[str, str]:
    found = {}
    for part in (element.get("style") or "").split(";"):
        if ":" in part:
            name, value = part.split(":", 1)
            found[name.strip().lower()] = value.strip().lower()
    return found


def hidden(element) -> bool:
    """Hidden from sight: display:none, or the visually-hidden class."""
    for node in (element, *element.iterancestors()):
        if styles(node).get("display") == "none" or "vh" in (node.get("class") or "").split():
            return True
    return False


def inherited(element, *names: str) -> str | None:
    for node in (element, *element.iterancestors()):
        style = styles(node)
        for name in names:
            if name in style and re.match(r"#[0-9a-f]{3,6}\b|\d", style[name]):
                return style[name].split()[0]
        if "bgcolor" in names and node.get("bgcolor"):
            return node.get("bgcolor").lower()
    return None


def text_elements(html: str):
    """Every visible element with words of its own."""
    for element in tree(html).iter():
        if not isinstance(element.tag, str) or element.tag in {"style", "title", "head", "script"}:
            continue
        own = (element.text or "") + "".join(child.tail or "" for child in element)
        if own.strip() and not hidden(element):
            yield element


def luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_helper_matches_wcag():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#fff"), 1) == 4.5


# --- size ----------------------------------------------------------------------------------


def test_september_html_within_the_size_budget_and_keeps_outlook_support(september):
    size = len(september.html.encode("utf-8"))
    assert size <= BUDGET, f"{size / 1024:.1f} KB"
    assert "<!--[if mso | IE]>" in september.html  # Outlook's ghost tables stay
    assert "<o:OfficeDocumentSettings>" in september.html


# --- action --------------------------------------------------------------------------------


def buttons(html: str):
    """MJML buttons: a link in a cell with role=presentation and a background colour."""
    return tree(html).xpath("//td[@role='presentation'][@bgcolor]/a")


def test_each_events_main_link_is_a_real_button(september):
    found = {" ".join(a.text_content().split()) for a in buttons(september.html)}
    assert "Booking form: Care Leavers Policy Workshop convened by the Rees Centre" in found
    assert "Register for a place: Inequality in the Workplace: What are we doing about it? " \
        "What can be done?" in found
    assert any(text.startswith("Sign up for Monday 6 October") for text in found)
    assert len(found) == 7  # Care Leavers, PWLE, Inequality, the webinar's two sittings,
    # and the lone links of the autism survey and of Inequality (its "More details")
    assert "For more details: Recognising Autism in Children and Young People – " \
        "Practitioner Perspective" in found
    for link in buttons(september.html):
        style = styles(link)
        vertical = int(re.match(r"(\d+)px", style["padding"])[1])  # "13px 22px": top and bottom
        assert int(style["line-height"].removesuffix("px")) + 2 * vertical >= 44, style


def test_booking_deadline_sits_by_the_button(september):
    html = september.html
    button = html.index("Booking form<span")
    deadline = html.index("Book by Friday 26 September 2025", button)
    assert deadline - button < 1200  # the next thing after the button
    assert "Book by:" not in html[button - 3000 : button]  # not repeated in the details


def test_in_this_issue_entries_link_to_their_sections(september):
    doc = tree(september.html)
    ids = set(doc.xpath("//@id"))
    contents = doc.xpath("//p[normalize-space()='In this issue:']/following-sibling::ul[1]//a")
    assert len(contents) == 6
    for link in contents:
        target = link.get("href")
        assert target.startswith("#") and target[1:] in ids, target
        heading = doc.get_element_by_id(target[1:])
        assert heading.tag in {"h2", "h3"} and heading.text_content() == link.text_content()


def test_dates_for_your_diary_near_the_top_in_date_order(september):
    html = september.html
    doc = tree(html)
    diary = doc.get_element_by_id("dates-for-your-diary")
    assert html.index('id="dates-for-your-diary"') < len(html) * 0.3
    entries = diary.getparent().xpath(".//li")
    whens = [li.find("strong").text for li in entries]
    assert whens == [
        "Thursday 2 October", "Monday 6 October", "Tuesday 14 October", "Tuesday 14 October",
        "Wednesday 15 October", "Thursday 16 October", "Thursday 27 November",
    ]
    ids = set(doc.xpath("//@id"))
    for li in entries:
        (link,) = li.xpath(".//a")
        assert link.get("href")[1:] in ids
    pwle = next(li for li in entries if "PWLE" in li.text_content())
    assert "(book by Monday 22 September)" in pwle.text_content()
    assert "Participation Conference" not in diary.getparent().text_content()  # no date yet


def test_calendar_links_name_their_event_in_one_row(september):
    doc = tree(september.html)
    rows = doc.xpath("//p[@class='cal']")
    assert len(rows) == 7  # one per sitting that falls on one day
    for row in rows:
        links = row.xpath(".//a")
        visible = [" ".join(t for t in link.xpath("text()")).strip() for link in links]
        assert visible == ["Outlook", "Google", "Apple"]
        names = [" ".join(link.text_content().split()) for link in links]
        assert names[0].startswith("Add ") and names[0].endswith(" to Outlook calendar")
        assert names[2].endswith(" to Apple or another calendar")
        for link in links:
            assert "padding:12px" in link.get("style")  # a taller tap target
    care = next(r for r in rows if "Care Leavers" in r.text_content())
    assert " ".join(care.xpath(".//a")[0].text_content().split()) == (
        "Add Care Leavers Policy Workshop convened by the Rees Centre to Outlook calendar"
    )


def test_visually_hidden_text_is_hidden_inline_without_position(september):
    """Gmail strips `position` (and some clients drop <style>): the hiding is inline, a 1 px
    box that clips its text, with mso-hide for Outlook on Windows."""
    spans = tree(september.html).xpath("//span[@class='vh']")
    assert len(spans) >= 40  # calendar links and buttons
    for span in spans:
        style = styles(span)
        assert "position" not in style and "clip" not in style, style
        assert style["display"] == "inline-block" and style["overflow"] == "hidden"
        assert style["width"] == "1px" and style["height"] == "1px"
        assert style["white-space"] == "nowrap" and style["mso-hide"] == "all"
        assert span.get("width") is None and span.get("height") is None  # valid HTML
    assert "position: absolute" not in september.html


def test_every_lone_or_booking_link_is_a_button(project, september):
    april = render_email(load_issue(project.root / APRIL), project)
    found = {" ".join(a.text_content().split()) for a in buttons(april.html)}
    assert "Book: Social Workers sessions: Age Assessment training" in found
    assert "Book: Team Managers/Decision Makers session: Age Assessment training" in found
    for email in (september, april):
        for ul in tree(email.html).xpath("//ul"):
            assert len(ul.xpath("./li")) > 1, ul.text_content()  # never a one-item list


def test_no_invalid_cell_attribute_and_one_main_landmark(september):
    assert 'vertical-align="' not in september.html
    doc = tree(september.html)
    (main,) = doc.xpath("//*[@role='main']")
    assert main.getparent().tag == "body"
    (article,) = main.xpath("./div[@role='article']")
    assert article.get("aria-roledescription") == "email" and article.get("lang") == "en-GB"


def test_logo_alt_text_reads_on_the_header_when_images_are_off(september):
    (img,) = tree(september.html).xpath("//img")
    style = styles(img)
    assert style["color"] in ("#fff", "#ffffff") and style["font-family"].startswith("arial")
    assert float(style["font-size"].removesuffix("px")) >= 14
    assert contrast(style["color"], inherited(img, "background-color", "bgcolor")) >= 4.5


# --- words ---------------------------------------------------------------------------------


def test_times_in_gov_uk_style_everywhere(september):
    for part in (september.html, september.text):
        assert "10am to midday" in part and "9:30am to 11am" in part and "2pm to 5pm" in part
        assert not re.search(r"\d(am|pm)\s*[–-]\s*\d", part)
        assert "12 noon" not in part and ":00am" not in part and ":00pm" not in part


def test_nothing_invented_a_missing_place_shows_nothing(project, september):
    assert "To be confirmed" not in september.html and "To be confirmed" not in september.text
    doc = tree(september.html)
    inequality = doc.xpath("//h3[starts-with(., 'Inequality')]")[0].getparent()
    assert "Where:" not in inequality.text_content()
    april = render_email(load_issue(project.root / APRIL), project)
    assert re.search(r"Where:</strong> Coventry<", april.html)
    assert "Where:    Coventry" in april.text


# --- look ----------------------------------------------------------------------------------


def test_dark_mode_support(september):
    html = september.html
    head = html[: html.index("</head>")]
    assert '<meta name="color-scheme" content="light dark"' in head
    assert '<meta name="supported-color-schemes" content="light dark"' in head
    assert "color-scheme: light dark; supported-color-schemes: light dark;" in head
    dark = re.search(r"@media \(prefers-color-scheme: dark\) \{(.*?)\n\s*\}\n", head, re.S)[1]
    assert "background: #18212c !important" in dark  # the page
    assert ".t a { color: #9ccaff !important; }" in dark
    assert "[data-ogsc] .t a" in head  # Outlook.com's dark mode
    # What dark mode sets reads at 7:1 too.
    for text, background in (("#e6ebf0", "#18212c"), ("#9ccaff", "#223044"),
                             ("#b8d4f2", "#18212c"), ("#c5ced8", "#223044")):
        assert contrast(text, background) >= 7


@pytest.mark.parametrize("path", [SEPTEMBER, APRIL])
def test_every_text_is_14px_or_more_with_7_to_1_contrast(project, path):
    """From the inlined CSS, as a mail client without <style> support would show it."""
    html = render_email(load_issue(project.root / path), project).html
    checked = 0
    for element in text_elements(html):
        size = inherited(element, "font-size")
        assert size and float(size.removesuffix("px")) >= 14, (element.tag, element.text, size)
        colour = inherited(element, "color") or "#000000"
        background = inherited(element, "background-color", "background", "bgcolor") or "#ffffff"
        ratio = contrast(colour, background)
        assert ratio >= 7, (element.tag, element.text_content()[:40], colour, background, ratio)
        checked += 1
    assert checked > 50


def test_preheader_hidden_the_way_clients_honour_then_a_spacer(september, project):
    issue = load_issue(project.root / SEPTEMBER)
    doc = tree(september.html)
    body = doc.find("body")
    first = next(el for el in body.iter() if el.text and el.text.strip())
    assert first.text.startswith(issue.preheader)
    style = styles(first)
    assert style["display"] == "none" and style["max-height"] == "0"
    assert style["overflow"] == "hidden" and style["mso-hide"] == "all"
    assert "color" not in style and "font-size" not in style and "opacity" not in style
    spacer = first.text[len(issue.preheader) :]
    assert spacer == "\u034f\u200c\u00a0" * (len(spacer) // 3) and len(spacer) >= 150


def test_logo_slot_shows_the_configured_logo(september):
    (img,) = tree(september.html).xpath("//img")  # the sample's newsletter.toml names a logo
    assert img.get("src").startswith("https://updates.example.org/regional-update/images/"
                                      "regional-update-logo.")  # fmt: skip
    assert img.get("alt") == "Regional Update: West Midlands children's services"
    assert img.get("width") == "200"
    assert september.html.index("regional-update-logo.") < september.html.index("<h1")


def test_no_logo_without_the_setting(project):
    config = project.config_path
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^logo(_alt)? = .*\n", "", text), encoding="utf-8")
    html = render_email(load_issue(project.root / SEPTEMBER), project).html
    assert "<img" not in html
