"""Time `newsletter import` of a 10-page Word document (target: under 2 s).

The document is the September seed four times over (about 10 pages in Word: headings,
bullets, real hyperlinks and a table of event details), made with python-docx as the
tests make theirs. Measured twice: the import alone in this process, and the whole
command (`newsletter import ... --dry-run`) in a child process, start-up included.

    .venv/bin/python benchmarks/bench_import.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.drafts import make_docx  # noqa: E402  (the tests' .docx maker)

from newsletter_cli.authoring.importing import import_draft  # noqa: E402

TARGET_SECONDS = 2.0


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        source = make_docx("09", Path(folder) / "ten-pages.docx", repeat=4)
        from docx import Document

        words = sum(len(p.text.split()) for p in Document(source).paragraphs)
        started = time.perf_counter()
        result = import_draft(source)
        alone = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "newsletter_cli", "import", str(source),
                        "--dry-run", "--out", str(Path(folder) / "x.yaml")],
                       check=True, capture_output=True, cwd=folder)  # fmt: skip
        command = time.perf_counter() - started
    blocks = len(result.draft.data["blocks"])
    print(f"import of a {words}-word .docx ("
          f"{blocks} blocks, {len(result.draft.events)} events): {alone:.2f} s in process, "
          f"{command:.2f} s as a command (target {TARGET_SECONDS:.0f} s)")
    return 0 if command < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
