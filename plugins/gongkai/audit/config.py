"""Typed options of the `gongkai-audit` plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class AuditConfig(base.Config):
    enabled = c.Type(bool, default=True)
    report_dir = c.Type(str, default="audit")
    """Where in the built site the report goes (report.json and a page for maintainers);
    empty: no report."""
    on_serve = c.Type(bool, default=True)
    """Audit on every `mkdocs serve` rebuild too (findings are logged, the server keeps running)."""
