"""A link in a block's own field (a button's url) is traced to its line in the issue, not
put down to the template."""

from __future__ import annotations

from newsletter_cli.config import load_config
from newsletter_cli.links.check import collect_targets
from newsletter_cli.model.issue import load_issue
from newsletter_cli.project import Project
from newsletter_cli.render.links import Source, issue_links

ISSUE = """\
title: "Regional Update"
issue_date: 2025-09-17
subject: "News from the region this month"
preheader: "A button and a picture"
blocks:
  - kind: article
    heading: "News"
    body: "Some news."
  - kind: button
    text: "Book now"
    url: "https://booking.example.net/dead-page"
  - kind: image
    src: "https://pictures.example.net/photo.jpg"
    alt: "A photo"
    href: "https://pictures.example.net/gallery"
"""


def test_button_and_image_links_name_their_issue_line(project_dir):
    path = project_dir / "issues" / "buttons.yaml"
    path.write_text(ISSUE, encoding="utf-8")
    issue = load_issue(path)
    found = dict(issue_links(issue))
    assert found["https://booking.example.net/dead-page"] == Source(None, 11, 'button "Book now"')
    assert found["https://pictures.example.net/gallery"] == Source(None, 15, 'image "A photo"')
    assert found["https://pictures.example.net/photo.jpg"] == Source(None, 13, 'image "A photo"')
    project = Project(project_dir)
    targets = {t.url: t for t in collect_targets(issue, project, load_config(project))}
    button = targets["https://booking.example.net/dead-page"]
    assert [s.path for s in button.sources] == [None]  # the issue file, not templates/...
    assert button.sources[0].line == 11
