"""The command line: thin Typer commands over the library modules.

Each command is a function at module level in its own module, decorated with
``@app.command()``; importing this package imports them all, so they are on ``app``.
Nothing here imports jinja2, mjml, premailer or sendgrid at start-up; commands
import the library module they call inside their body.
"""

# isort: off
from newsletter_cli.cli.app import app, main
from newsletter_cli.cli import init, build, importing, send  # noqa: F401 - adds the commands
from newsletter_cli.cli import history, preview, publish, report  # noqa: E402, F401
from newsletter_cli.cli import lists, suppressions, journal, login, template  # noqa: E402, F401
# isort: on

__all__ = ["app", "main"]
