"""`python -m newsletter_cli` runs the command line."""

from newsletter_cli.cli import main

main()
