"""Contacts, named lists and suppression (recipients/)."""
