"""What the send benchmarks share: the sample email with recipient tokens, and a child
process's own peak memory. Imported by path (``benchmarks`` is on ``sys.path`` through the
repository root that each script puts there)."""

from __future__ import annotations

import resource
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_mib() -> float:
    """This process's peak resident memory in MiB since it started its program.

    Linux's VmHWM: ``ru_maxrss`` would also count the parent's memory copied at fork
    (the parent here holds the server, which grows from run to run).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rendered_email():
    """The September sample rendered once with recipient tokens (as a real send does)."""
    from newsletter_cli.model.issue import load_issue
    from newsletter_cli.project import Project
    from newsletter_cli.render import TOKENS, render_email

    issue = load_issue(ROOT / "issues" / "2025-09-regional-update.yaml")
    return render_email(issue, Project(ROOT), audience=None, recipient=TOKENS)
