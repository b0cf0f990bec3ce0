"""Whether a planned live send would reach anyone new, and if not, why."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsletter_cli.delivery.plan import SendPlan


def nothing_new(plan: SendPlan) -> str | None:
    """Why a live send would reach nobody new, or None when it would reach someone."""
    if plan.test or plan.to_send:
        return None
    if not plan.recipients:
        return "Nothing to send: the list(s) have nobody to send to."
    if plan.uncertain and not plan.resend_uncertain:
        return (f"Nothing to send: everyone on the list(s) already has it, or is uncertain "
                f"({plan.uncertain}); see --check-uncertain.")  # fmt: skip
    return "Nothing to send: everyone on the list(s) already has it."
