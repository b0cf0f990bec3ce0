"""The preview shows local images (the logo) as publish will write them, served by itself."""

from __future__ import annotations

import http.client

import pytest
from support.issues import BASE

from newsletter_cli.config import load_config
from newsletter_cli.preview import PreviewServer, gather
from newsletter_cli.project import Project
from newsletter_cli.render import images


def fetch(server: PreviewServer, path: str) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, response.getheader("Content-Type") or "", body


def the_logo(project: Project) -> images.PreparedImage:
    config = load_config(project)
    return images.prepare(project, config.sender.logo, images.LOGO_WIDTH)


def test_the_email_in_the_preview_points_at_the_server_which_has_the_file(server, project):
    logo = the_logo(project)
    status, _, body = fetch(server, "/email.html")
    html = body.decode("utf-8")
    assert status == 200 and f'src="/images/{logo.filename}"' in html
    assert BASE + "images/" not in html  # not the published address: it may not be there yet
    status, kind, data = fetch(server, f"/images/{logo.filename}")
    assert (status, kind) == (200, "image/png") and data == logo.data
    assert fetch(server, "/images/nothing.0123456789ab.png")[0] == 404


def test_screenshots_get_the_images_inline(issue_path, project):
    content = gather(issue_path, project)
    logo = the_logo(project)
    inlined = content.inline_images(content.email.html)
    assert f"/images/{logo.filename}" not in inlined and "data:image/png;base64," in inlined


@pytest.mark.browser
def test_the_logo_shows_in_both_frames(server, page):
    page.goto(server.url)
    for ident in ("desktop", "phone"):
        frame = page.query_selector(f"iframe#{ident}").content_frame()
        frame.wait_for_load_state("load")
        loaded = frame.evaluate(
            "() => [...document.images].map(i => [i.getAttribute('src'), i.complete && i.naturalWidth])"
        )
        assert loaded and all(width == 400 for _src, width in loaded), loaded
