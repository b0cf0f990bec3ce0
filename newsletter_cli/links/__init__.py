"""`newsletter check` and a live send: try every address in an issue's email and web page.

:mod:`newsletter_cli.render.links` finds the addresses and where each comes from,
:mod:`.probe` tries one over HTTP, :mod:`.cache` remembers good answers for a day, and
:mod:`.check` puts it together (web-edition addresses against the published files when
they are on this machine). This ``__init__`` imports nothing heavy.
"""
