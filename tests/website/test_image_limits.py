"""A picture too large to open is an input error (exit 2, its path and size), never exit 70.

A 1-bit PNG of 15,000 x 15,000 px is 27 KB on disk but 225 megapixels: Pillow refused it
with DecompressionBombError (exit 70, "internal error"), and printed its raw warning for
12,500 x 12,500 while decoding 970 MB.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from support.issues import SEPTEMBER

from newsletter_cli.render import images

LOGO = "images/regional-update-logo.png"


def write_png(path: Path, width: int, height: int) -> None:
    """A white 1-bit PNG, written directly (fast and small: no pixels held by Pillow)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data)
        )

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
                     + chunk(b"IEND", b""))  # fmt: skip


@pytest.mark.parametrize("side", [15_000, 12_500])
@pytest.mark.parametrize("command", ["check", "build", "publish"])
def test_a_huge_logo_is_an_input_error_naming_its_path_and_size(invoke, project_dir, command,
                                                                side):  # fmt: skip
    write_png(project_dir / LOGO, side, side)
    assert (project_dir / LOGO).stat().st_size < 100_000
    result = invoke(command, SEPTEMBER)
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code == 2, output
    assert LOGO in output and f"{side:,} x {side:,} pixels" in output
    assert "DecompressionBomb" not in output and "internal error" not in output


def test_the_limit_is_read_from_the_header(tmp_path, recwarn):
    write_png(tmp_path / "wide.png", 10_000, 5_001)
    with pytest.raises(images.ImageTooLarge) as caught:
        images.pixel_size(tmp_path / "wide.png", "images/wide.png")
    assert str(caught.value).startswith("images/wide.png: the picture is 10,000 x 5,001 pixels")
    write_png(tmp_path / "fine.png", 10_000, 5_000)  # exactly 50 megapixels: allowed
    assert images.pixel_size(tmp_path / "fine.png", "images/fine.png") == (10_000, 5_000)
    assert not [w for w in recwarn if "DecompressionBomb" in type(w.message).__name__]
