"""The web edition: `newsletter publish` writes a static site from the issue files.

    site/
      index.html  feed.xml  sitemap.xml  style.css
      <issue-name>/index.html  <issue-name>/*.ics
      images/<name>.<hash>.<ext>

Modules: :mod:`.urls` (addresses, from ``[site] base_url``), :mod:`.images`
(local images), :mod:`.checks` (what `check` says about them), :mod:`.page`
(an issue's web page), :mod:`.jsonld` (schema.org events), :mod:`.feed`
(Atom and sitemap), :mod:`.publish` (writing the folder). This ``__init__``
imports nothing heavy.
"""
