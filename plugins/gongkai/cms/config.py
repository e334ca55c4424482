"""Typed options of the `gongkai-cms` plugin: where editors' saves go (the git host), where the editor's files are."""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c


class Backend(base.Config):
    """The git host the editor commits to (Decap CMS's `backend`), self-hosted or not."""

    name = c.Choice(("gitlab", "gitea", "forgejo", "github"), default="gitlab")
    repo = c.Type(str)
    """owner/name of the platform's repository."""
    branch = c.Type(str, default="main")
    base_url = c.Optional(c.Type(str))
    """The host's address, for signing in: https://git.example.gov.cn (GitLab, Gitea); for GitHub
    the address of the OAuth helper the office runs."""
    api_root = c.Optional(c.Type(str))
    """Its API: https://git.example.gov.cn/api/v4 (GitLab), …/api/v1 (Gitea)."""
    auth_type = c.Optional(c.Choice(("pkce", "implicit")))
    """GitLab: pkce (an OAuth application without a secret)."""
    app_id = c.Optional(c.Type(str))
    """The OAuth application's id (GitLab, Gitea)."""

    def as_decap(self) -> dict[str, Any]:
        return {key: value for key, value in self.items() if value is not None}

    def missing(self) -> list[str]:
        """What this host needs and mkdocs.yml does not say: a self-hosted Gitea/Forgejo its addresses
        and OAuth application; GitHub the office's own OAuth helper (Decap's default is Netlify's)."""
        needed = {"gitea": ("base_url", "api_root", "app_id"), "forgejo": ("base_url", "api_root", "app_id"),
                  "github": ("base_url",), "gitlab": ("app_id",) if self.auth_type == "pkce" else ()}[self.name]
        return [key for key in needed if not self[key]]


class CmsConfig(base.Config):
    enabled = c.Type(bool, default=True)
    backend = c.SubConfig(Backend)
    bundle = c.Type(str, default="tools/cms/node_modules/decap-cms/dist")
    """The editor's program, installed from npm (`npm ci --prefix tools/cms`; `./dev` does it), relative to mkdocs.yml."""
