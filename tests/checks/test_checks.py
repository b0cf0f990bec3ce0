"""`newsletter check`: placeholders, vague links, alt text, dates, subject, size."""

from __future__ import annotations

from datetime import date

from newsletter_cli.checks import GMAIL_CLIP_BYTES, run_checks
from newsletter_cli.model.issue import load_issue

HEAD = "title: T\nissue_date: 2025-09-19\nsubject: September news\npreheader: All the news\n"
ISSUE_DAY = date(2025, 9, 19)  # "today" for these checks: the day HEAD's issue goes out


def check(project, text: str, name: str = "c.yaml", today: date = ISSUE_DAY, **options):
    path = project.root / "issues" / name
    path.write_text(text, encoding="utf-8")
    return run_checks(load_issue(path), project, today=today, **options)


def messages(report, severity):
    return [f.message for f in report.findings if f.severity == severity]


def test_seed_click_here_placeholders_are_errors(project):
    report = run_checks(load_issue(project.root / "issues/2025-09-regional-update.yaml"), project)
    assert not report.ok
    placeholder = [f for f in report.errors if "placeholder URL" in f.message]
    assert any("click here" in f.message for f in placeholder)
    assert all(f.line and f.block for f in placeholder)
    assert any("click here" in f.message for f in report.warnings)


def test_april_sample_placeholders_flagged(project):
    report = run_checks(load_issue(project.root / "issues/2025-04-regional-update.yaml"), project)
    assert any("placeholder URL" in f.message for f in report.errors)


def test_clean_issue_passes(project):
    report = check(
        project,
        HEAD + "blocks:\n  - kind: article\n    heading: News\n"
        "    body: See [the programme page](https://example.org/programme).\n",
    )
    assert report.ok and report.findings == []
    assert 0 < report.html_bytes < GMAIL_CLIP_BYTES


def test_vague_link_text_is_a_warning(project):
    report = check(
        project,
        HEAD + "blocks:\n  - kind: article\n    heading: News\n    body: x\n"
        "    links:\n      - text: Click here\n        url: https://example.org/a\n",
    )
    assert report.ok
    assert messages(report, "warning")[0].startswith('link text "Click here" says nothing')
    assert report.warnings[0].line == 10 and report.warnings[0].block == "News"


def test_empty_and_placeholder_urls(project):
    report = check(
        project,
        HEAD + "blocks:\n  - kind: article\n    heading: News\n"
        "    body: '[Programme](#) and [form]()'\n",
    )
    assert len([m for m in messages(report, "error") if "placeholder URL" in m]) == 2


def test_image_without_alt_text(project):
    report = check(
        project,
        HEAD
        + "blocks:\n  - kind: article\n    heading: News\n    body: '![](https://example.org/a.png)'\n"
        "    image:\n      src: https://example.org/b.png\n",
    )
    errors = messages(report, "error")
    assert "image https://example.org/a.png has no alt text" in errors
    assert "image https://example.org/b.png has no alt text" in errors


def test_events_and_deadlines_before_the_issue_date(project):
    report = check(
        project,
        HEAD + "blocks:\n  - kind: events\n    events:\n"
        "      - title: Past\n        start: 2025-09-01\n"
        "      - title: Late booking\n        start: 2025-10-01\n        deadline: 2025-09-10\n"
        "      - title: Running\n        start: 2025-04-01\n        end: 2025-12-31\n",
    )
    errors = messages(report, "error")
    assert 'event "Past" is on 2025-09-01, before the issue date 2025-09-19' in errors
    assert any("Late booking" in m and "booking deadline 2025-09-10" in m for m in errors)
    assert not any("Running" in m for m in errors)  # still running on the issue date
    assert report.errors[0].line == 9


def test_subject_and_preheader(project):
    missing = check(
        project,
        "title: T\nissue_date: 2025-09-19\nblocks:\n"
        "  - kind: article\n    heading: N\n    body: x\n",
    )
    assert "subject is missing" in messages(missing, "error")
    assert any("preheader is missing" in m for m in messages(missing, "warning"))
    long = check(
        project,
        HEAD.replace("September news", "S" * 80) + "blocks:\n"
        "  - kind: article\n    heading: N\n    body: x\n",
    )
    assert long.ok and any("subject is 80 characters" in m for m in messages(long, "warning"))


def test_html_over_gmail_clip_limit_is_an_error(project):
    body = "\n\n".join(f"Paragraph {n} " + "words " * 80 for n in range(120))
    blocks = "".join(
        f"  - kind: article\n    heading: News {n}\n    body: |\n"
        + "".join(f"      {line}\n" for line in body.splitlines())
        for n in range(2)
    )
    report = check(project, HEAD + "blocks:\n" + blocks)
    assert report.html_bytes > GMAIL_CLIP_BYTES
    assert any("Gmail clips" in m for m in messages(report, "error"))


def test_cli_check_exit_codes(invoke, project_dir):
    bad = invoke("check", "issues/2025-09-regional-update.yaml", "--no-links")
    assert bad.exit_code == 1
    assert "issues/2025-09-regional-update.yaml:" in bad.output and "placeholder URL" in bad.output
    (project_dir / "issues" / "ok.yaml").write_text(
        HEAD + "blocks:\n  - kind: article\n    heading: N\n    body: x\n"
        "    links:\n      - text: here\n        url: https://example.org/\n",
        encoding="utf-8",
    )
    good = invoke("check", "issues/ok.yaml", "--no-links")
    assert good.exit_code == 0, good.output
    assert "warning" in good.output and "no errors, but links not tried" in good.output


def test_only_for_names_must_be_known_lists_or_tags(project):
    report = check(
        project,
        HEAD + "blocks:\n  - kind: article\n    heading: SEND news\n    body: x\n"
        "    only_for: [send-network, SEND Lead, send-netwrk]\n",
    )
    errors = [f for f in report.errors if "only_for" in f.message]
    assert len(errors) == 1 and "'send-netwrk'" in errors[0].message
    assert errors[0].line == 9 and errors[0].block == "SEND news"


def test_findings_come_in_the_order_of_the_file(project):
    # the past event (a date finding, made after the block checks) is above the TODO link
    report = check(
        project,
        HEAD + "blocks:\n  - kind: event\n    title: Old seminar\n    start: 2025-09-01\n"
        "  - kind: article\n    heading: News\n    body: x\n"
        "    links:\n      - text: Programme\n        url: TODO\n",
    )
    lines = [f.line for f in report.findings]
    assert len(lines) >= 2 and None not in lines, report.findings
    assert lines == sorted(lines)
    assert any("placeholder" in f.message for f in report.findings if f.line == 13), report.findings
