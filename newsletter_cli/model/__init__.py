"""The issue model: what an issue file may hold, read and checked.

:mod:`.parts` holds the value types every block is made of (dates, links, images, event
details), :mod:`.blocks` the block kinds (built in and declared by a template),
:mod:`.safety` what no text may hold, and :mod:`.issue` the :class:`~.issue.Issue` itself
and its loader.
"""
