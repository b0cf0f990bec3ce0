"""The web edition: `newsletter publish` writes a static site from the issue files.

    site/
      index.html  feed.xml  sitemap.xml  style.css
      <issue-name>/index.html  <issue-name>/*.ics
      images/<name>.<hash>.<ext>

Modules: :mod:`.checks` (what `check` says about the web edition), :mod:`.page` (an
issue's web page), :mod:`.jsonld` (schema.org events), :mod:`.feed` (Atom and sitemap),
:mod:`.publish` (writing the folder). The addresses (:mod:`newsletter_cli.render.urls`)
and local images (:mod:`newsletter_cli.render.images`) live with the email, which uses
them too. This ``__init__`` imports nothing heavy.
"""
