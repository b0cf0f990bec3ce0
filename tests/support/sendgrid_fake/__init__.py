"""A local stand-in for SendGrid's v3 API on 127.0.0.1, for the real ``sendgrid`` client.

It answers as SendGrid's own OpenAPI files say (``/work/shared/reference/sendgrid/``):

- mail send (:mod:`.mail`): checks what SendGrid checks (Bearer key, body shape and
  limits, unique addresses per request), answers 202 with an ``X-Message-Id``, and can
  be told what to do with the next requests: ``fake.will("429", "500", "ok", "hang",
  "drop", ...)`` ("drop": the connection closes before the mail is taken; "lost": taken,
  then no answer). ``fake.accepted`` lists every address SendGrid would have delivered
  to, duplicates kept; ``fake.delivered(email)`` is the message as it arrived, with the
  List-Unsubscribe headers SendGrid adds; ``POST /lu/unsubscribe`` (RFC 8058) and
  ``fake.mailto_reply`` unsubscribe as SendGrid's link, header and mailto do.
- POST /v3/mail/batch and /v3/user/scheduled_sends (scheduling and cancelling).
- Email Activity (:mod:`.activity`), category statistics (:mod:`.stats`) and the
  suppression lists (:mod:`.suppressions`), all made from the messages taken and what
  their recipients did (``fake.act(email, "open", "click", "bounce", ...)``), plus
  ``fake.hold(kind, email)`` and the spec's example bodies (``fake.load_examples()``).
- Faults: ``fake.will_api(prefix, "429", "403", ...)`` for any GET; ``fake.scopes`` the
  key's permissions (a missing one answers 403 as SendGrid does); ``activity_addon =
  False`` answers 403 as an account without Email Activity. Every answer carries
  ``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset``.

Every request is recorded in ``fake.requests``.
"""

from .activity import parse_activity_query
from .mail import Delivered, validate_mail
from .server import FakeSendGrid, Recorded, error

__all__ = ["Delivered", "FakeSendGrid", "Recorded", "error", "parse_activity_query",
           "validate_mail"]
