"""Checks over the built site, and what deployment needs to know about it (its CSP)."""
