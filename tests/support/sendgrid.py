"""What the tests tell the fake SendGrid and the client: a key, groups, quick retries."""

from __future__ import annotations

from newsletter_cli.delivery.backends.sendgrid import RetryPolicy
from newsletter_cli.delivery.sendgrid_http import ReadPolicy

#: A key that must never appear in any output or file.
API_KEY = "SG.fake-key-7Hq2.Zx9-never-print-me-5521"
#: The unsubscribe group of the delivery tests' own envelope.
GROUP = 4242
#: The sample newsletter.toml's unsubscribe group.
SAMPLE_GROUP = 12345
#: Tiny waits: the tests check the decisions, not the clock.
FAST = RetryPolicy(attempts=3, backoff=0.01, backoff_cap=0.05, rate_limit_cap=2.0, timeout=1.0)
QUICK = ReadPolicy(rate_cap=2.0, rate_default=0.01, backoff=0.01, timeout=5.0)
