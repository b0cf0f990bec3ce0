"""Measurement: how deeply nested Markdown mjml-python renders before it crashes the process.

Run: .venv/bin/python benchmarks/bench_mjml_depth.py
Bisects the depth of ``**bold**`` nested in itself (each level one more <strong> inside the
last) between a depth that renders and one that crashes, each try in a fresh process (a crash
is a SIGSEGV, not an exception). The issue loader refuses Markdown nested more than
newsletter_cli.model.safety.MAX_NESTING deep, far below what this finds.
"""

from __future__ import annotations

import subprocess
import sys

from newsletter_cli.model.safety import MAX_NESTING

RENDER = """
import sys
from mjml import mjml2html
from newsletter_cli.markdown import to_html
depth = int(sys.argv[1])
html = to_html("**" * depth + "x" + "**" * depth)
mjml2html("<mjml><mj-body><mj-section><mj-column><mj-text>" + html
          + "</mj-text></mj-column></mj-section></mj-body></mjml>")
"""


def renders(depth: int) -> bool:
    done = subprocess.run([sys.executable, "-c", RENDER, str(depth)], capture_output=True)
    return done.returncode == 0


def main() -> None:
    low, high = 1_000, 40_000
    if not renders(low) or renders(high):
        print(f"no crash between {low:,} and {high:,}: mjml-python may have changed")
        return
    while high - low > 50:
        middle = (low + high) // 2
        low, high = (middle, high) if renders(middle) else (low, middle)
    print(f"mjml-python renders {low:,} nested levels and crashes by {high:,}; "
          f"the limit is {MAX_NESTING} ({low // MAX_NESTING}x below)")


if __name__ == "__main__":
    main()
