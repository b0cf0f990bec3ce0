"""What the tests share: fakes, stand-ins, sample constants and helpers (never a test).

Imported as ``from support.issues import SEPTEMBER``: pytest puts tests/ on sys.path.
"""
