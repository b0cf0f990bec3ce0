"""What `publish` refuses before writing anything: an image `check` refuses, a file name that is
not a plain issue name."""

from __future__ import annotations

import shutil

import pytest
from support.issues import SEPTEMBER

ARTICLE = (
    "  - kind: article\n"
    '    heading: "Recognising Autism in Children and Young People – Practitioner Perspective"\n'
)


@pytest.mark.parametrize("src", ["/etc/passwd.png", "images/../../secret.png", "images/nope.png"])
def test_publish_refuses_an_image_check_refuses_with_the_same_message(invoke, finished, src):
    path = finished.root / SEPTEMBER
    text = path.read_text(encoding="utf-8").replace(
        ARTICLE, ARTICLE + f'    image:\n      src: {src}\n      alt: "A photo"\n'
    )
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(f"src: {src}")].count("\n")  # the image: line above it
    checked = invoke("check", SEPTEMBER, "--no-links")
    assert checked.exit_code == 1
    published = invoke("publish", SEPTEMBER)
    assert published.exit_code == 2, published.output
    said = " ".join(published.output.split())
    assert said.startswith(f"error: {SEPTEMBER}:{line}: image {src}")
    message = said.split(f"{SEPTEMBER}:{line}: ", 1)[1]
    assert message in " ".join(checked.output.split())
    assert not (finished.site_dir / "2025-09-regional-update").exists()


@pytest.mark.parametrize(
    "command", [("build",), ("publish",), ("send", "--list", "dcs", "--yes", "--no-link-check")]
)
def test_an_issue_file_whose_name_is_not_plain_is_refused(invoke, finished, command):
    odd = finished.root / "issues" / "...yaml"
    shutil.copy(finished.root / SEPTEMBER, odd)
    outside = {p.name for p in finished.root.iterdir()}
    result = invoke(command[0], "issues/...yaml", *command[1:])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "issues/...yaml: the file name '...yaml' cannot name an issue" in said
    assert {p.name for p in finished.root.iterdir()} == outside
    assert not (finished.root / "index.html").exists()


@pytest.mark.parametrize("name", [".hidden.yaml", "Sept issue.yaml", "a;b.yaml"])
def test_other_odd_names_are_refused_too(invoke, finished, name):
    shutil.copy(finished.root / SEPTEMBER, finished.root / "issues" / name)
    result = invoke("build", f"issues/{name}")
    assert result.exit_code == 2 and f"the file name '{name}' cannot name an issue" in result.output


def test_publish_all_refuses_an_odd_name_in_issues(invoke, finished):
    shutil.copy(finished.root / SEPTEMBER, finished.root / "issues" / "...yaml")
    result = invoke("publish", "--all")
    assert result.exit_code == 2 and "'...yaml' cannot name an issue" in result.output
    assert not finished.site_dir.exists()


def test_plain_names_with_dots_and_underscores_still_work(invoke, finished):
    shutil.copy(finished.root / SEPTEMBER, finished.root / "issues" / "v1.2_final.yaml")
    result = invoke("build", "issues/v1.2_final.yaml")
    assert result.exit_code == 0, result.output
