"""The command line: thin Typer commands over the library modules.

Nothing here imports jinja2, mjml, premailer or sendgrid at start-up; commands
import the library module they call inside their body.
"""

from newsletter_cli.cli.app import app, main

__all__ = ["app", "main"]
