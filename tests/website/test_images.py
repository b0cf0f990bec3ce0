"""Local images: what `check` says, what `publish` writes, what the email and page point at."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from support.issues import BASE, SEPTEMBER

from newsletter_cli.checks import run_checks
from newsletter_cli.config import load_config
from newsletter_cli.model.issue import load_issue
from newsletter_cli.render import images, render_email
from newsletter_cli.site.publish import publish

ARTICLE = ('  - kind: article\n'
           '    heading: "Recognising Autism in Children and Young People – Practitioner Perspective"\n')


def photo(path: Path, size=(2400, 1600), exif: bool = True) -> Path:
    """A JPEG made here (noise, so it is heavy), with camera and GPS EXIF and a comment."""
    image = Image.effect_noise(size, 64).convert("RGB")
    tags = Image.Exif()
    if exif:
        tags[0x010F] = "ExampleCam"  # Make
        tags[0x0110] = "Model 7"  # Model
        tags[0x8825] = {1: "N", 2: (52.0, 28.0, 48.0), 3: "W", 4: (1.0, 53.0, 24.0)}  # GPS
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=95, exif=tags, comment=b"taken at home")
    return path


def add_image(project_dir: Path, src: str, alt: str | None = "Natalie Bevan at a regional meeting") -> int:
    """Give the September issue's one article an image; return the line of its src."""
    path = project_dir / SEPTEMBER
    text = path.read_text(encoding="utf-8")
    image = f"    image:\n      src: {src}\n" + (f'      alt: "{alt}"\n' if alt is not None else "")
    text = text.replace(ARTICLE, ARTICLE + image)
    path.write_text(text, encoding="utf-8")
    return text[: text.index(f"src: {src}")].count("\n") + 1


def findings(project, severity=None):
    report = run_checks(load_issue(project.root / SEPTEMBER), project)
    return [(f.severity, f.message, f.line, f.path) for f in report.findings
            if (severity is None or f.severity == severity) and ("image" in f.message or "logo" in f.message)]


def test_a_heavy_wide_photo_warns_and_publishes_small_and_stripped(finished):
    source = photo(finished.root / "images" / "Team Photo.jpg")
    assert source.stat().st_size > 200 * 1024
    line = add_image(finished.root, "images/Team Photo.jpg")
    found = findings(finished)
    kb = source.stat().st_size / 1024
    assert found == [
        ("warning", f"image images/Team Photo.jpg is {kb:.0f} KB; keep it under 200 KB "
         "(publish shrinks it, but save a smaller original)", line - 1, None),
        ("warning", "image images/Team Photo.jpg is 2400 px wide; 1200 px is enough "
         "(twice the email's 600 px column)", line - 1, None),
    ]

    publish(finished)
    written = sorted((finished.site_dir / "images").glob("team-photo.*.jpg"))
    assert len(written) == 1 and re.fullmatch(r"team-photo\.[0-9a-f]{12}\.jpg", written[0].name)
    data = written[0].read_bytes()
    with Image.open(io.BytesIO(data)) as out:
        assert out.size == (1200, 800)  # twice the email's 600 px column
        assert len(out.getexif()) == 0
        assert "comment" not in out.info and "exif" not in out.info
    assert b"ExampleCam" not in data and b"taken at home" not in data
    # The email shows it from the published site; the page from its relative address.
    email = render_email(load_issue(finished.root / SEPTEMBER), finished).html
    assert f'src="{BASE}images/{written[0].name}"' in email
    page = (finished.site_dir / "2025-09-regional-update/index.html").read_text(encoding="utf-8")
    assert (f'<img src="../images/{written[0].name}" alt="Natalie Bevan at a regional meeting" '
            'width="600" height="400"') in page


def test_a_changed_picture_gets_a_new_name_and_the_old_one_goes(finished):
    source = photo(finished.root / "images" / "team.jpg", size=(800, 600))
    add_image(finished.root, "images/team.jpg")
    publish(finished)
    first = sorted((finished.site_dir / "images").glob("team.*.jpg"))
    Image.new("RGB", (800, 600), (0, 121, 122)).save(source, "JPEG")
    publish(finished)
    second = sorted((finished.site_dir / "images").glob("team.*.jpg"))
    assert len(first) == len(second) == 1 and first != second
    with Image.open(second[0]) as out:
        assert out.size == (800, 600)  # never enlarged


def test_png_text_and_exif_are_stripped_transparency_kept(project):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Someone Private")
    image = Image.new("RGBA", (1500, 300), (27, 54, 93, 0))
    path = project.root / "images" / "banner.png"
    image.save(path, pnginfo=info)
    prepared = images.prepare(project, "images/banner.png")
    assert b"Someone Private" not in prepared.data
    with Image.open(io.BytesIO(prepared.data)) as out:
        assert out.size == (1200, 240) and out.mode == "RGBA"
    assert images.prepare(project, "images/banner.png") is prepared  # cached while unchanged


def test_the_logo_is_written_at_twice_its_display_width(project):
    logo = images.logo(project, load_config(project), BASE)
    assert logo["src"].startswith(BASE + "images/regional-update-logo.") and logo["width"] == 200
    assert logo["height"] == 60 and logo["alt"].startswith("Regional Update")
    html = render_email(load_issue(project.root / SEPTEMBER), project).html
    assert f'src="{logo["src"]}"' in html and 'alt="Regional Update: West Midlands' in html


@pytest.mark.parametrize(
    ("src", "words"),
    [
        ("images/missing.jpg", "image images/missing.jpg: no such file"),
        ("photos/team.jpg", "image photos/team.jpg: keep images in the images/ folder"),
        ("images/../newsletter.toml", "keep images in the images/ folder"),
        ("images/team.webp", "use a PNG, JPEG or GIF file"),
    ],
)
def test_a_missing_or_misplaced_image_is_an_error_at_its_line(project, src, words):
    (project.root / "images" / "team.webp").write_bytes(b"RIFF")
    line = add_image(project.root, src)
    errors = [f for f in findings(project, "error") if words in f[1]]
    assert errors and errors[0][2] == line - 1  # the image: line


def test_a_broken_file_is_an_error_not_a_crash(project):
    (project.root / "images" / "broken.png").write_bytes(b"not a png at all")
    add_image(project.root, "images/broken.png")
    assert any("not a readable picture" in f[1] for f in findings(project, "error"))
    assert render_email(load_issue(project.root / SEPTEMBER), project).html  # still renders


def test_an_image_without_alt_text_is_an_error(project):
    photo(project.root / "images" / "team.jpg", size=(300, 200))
    add_image(project.root, "images/team.jpg", alt=None)
    assert any(f[1] == "image images/team.jpg has no alt text" for f in findings(project, "error"))


def test_the_logo_needs_alt_text_named_at_its_line_in_newsletter_toml(project):
    config = project.config_path
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"logo_alt = .*\n", "", text), encoding="utf-8")
    line = text[: text.index("logo = ")].count("\n") + 1
    errors = [f for f in findings(project, "error") if "logo has no alt text" in f[1]]
    assert errors == [("error", errors[0][1], line, str(config))]


def test_local_images_need_a_base_url(project):
    config = project.config_path
    config.write_text(re.sub(r"base_url = .*\n", "", config.read_text(encoding="utf-8")))
    assert any("local images need [site] base_url" in f[1] for f in findings(project, "error"))


def test_a_local_image_inside_text_is_an_error(project):
    path = project.root / SEPTEMBER
    text = path.read_text(encoding="utf-8").replace(
        "ADASS is looking for", "![ADASS](images/regional-update-logo.png) ADASS is looking for")
    path.write_text(text, encoding="utf-8")
    assert any("inside the text cannot be shown in an email" in f[1] for f in findings(project, "error"))


def test_the_sample_logo_is_small_and_passes(project):
    assert findings(project) == []
    logo = project.root / "images" / "regional-update-logo.png"
    assert logo.stat().st_size < 20 * 1024
