"""The fake SendGrid now lives in tests/sendgrid_fake/ (one module per part of the API);
this name is kept for the tests and tools that import it from here."""

from sendgrid_fake import FakeSendGrid, Recorded, error, parse_activity_query, validate_mail

__all__ = ["FakeSendGrid", "Recorded", "error", "parse_activity_query", "validate_mail"]
