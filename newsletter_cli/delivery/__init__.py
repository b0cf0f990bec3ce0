"""Delivering an issue: backends (outbox, SendGrid), the send journal, resuming.

Import the submodules directly; this package imports nothing heavy (no ``sendgrid``)
so the command line starts fast.
"""
