"""Typed options of the `gongkai` plugin (the `plugins: - gongkai:` block of mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class GongkaiConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing its configuration."""

    data_dir = c.Dir(exists=False, default="data")
    """The editors' YAML, relative to mkdocs.yml."""
