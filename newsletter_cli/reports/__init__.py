"""After a send: what SendGrid holds back (suppression sync) and what happened (reports).

- :mod:`.suppressed`: SendGrid's six suppression lists, fetched page by page.
- :mod:`.sync`: ``newsletter suppressions sync``: merge them into recipients/.
- :mod:`.stats`: SendGrid's category statistics for a send or an issue.
- :mod:`.report`: ``newsletter report``: figures, and outcomes matched to recipients by
  list and by organisation; :mod:`.terminal` and :mod:`.html` show it.
"""
