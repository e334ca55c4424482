"""The web editor's whole configuration (Decap CMS's ``config.yml``), from the record kinds and mkdocs.yml.

`gongkai cms` writes it to `admin/config.yml` (committed, so a review sees what editors get);
the build publishes the same text and warns when the committed file is stale.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .. import yamlout
from .collections import collections

CONFIG_FILE = "admin/config.yml"
"""Where `gongkai cms` writes the configuration, relative to mkdocs.yml."""

LOCAL_PROXY_PORT = 8081
"""The port of Decap's own local backend (`decap-server`), which `./dev edit` starts."""

LOCAL_PROXY = f"http://127.0.0.1:{LOCAL_PROXY_PORT}"
"""Its address: loopback only."""

WORKFLOW_BACKENDS = frozenset({"github", "gitlab", "forgejo"})
"""Backends with Decap's editorial workflow (saving opens a merge request); its Gitea backend has
none, so there an editor's saves go to the configured branch, merged into the main one by review."""

HEADER = ("网站编辑器（Decap CMS）的配置：由 gongkai cms 根据数据模型和 mkdocs.yml 中 gongkai-cms 的设置生成，"
          "请勿手工修改（修改后会被覆盖）。")


def editor_config(backend: dict[str, Any], site_url: str | None, data_dir: str) -> dict[str, Any]:
    config: dict[str, Any] = {
        "locale": "zh_Hans",
        "backend": {**backend, "squash_merges": True} if backend["name"] in WORKFLOW_BACKENDS else dict(backend),
        "local_backend": {"url": f"{LOCAL_PROXY}/api/v1"},
    }
    if backend["name"] in WORKFLOW_BACKENDS:
        config["publish_mode"] = "editorial_workflow"
    if site_url:
        config["site_url"] = config["display_url"] = site_url
    config.update({
        "media_folder": f"{data_dir}/uploads",
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        "search": True,
        "editor": {"preview": False},
        "collections": collections(data_dir),
    })
    return config


def as_yaml(config: dict[str, Any]) -> str:
    """The configuration as `admin/config.yml` holds it."""
    return yamlout.dump(config, comment=HEADER)


def backend_origins(backend: dict[str, Any]) -> list[str]:
    """The hosts the editor talks to besides the site: the git host's API and its sign-in."""
    hosted = {"github": "https://api.github.com", "gitlab": "https://gitlab.com/api/v4"}  # Decap's defaults
    urls = [backend.get("api_root") or hosted.get(backend["name"]), backend.get("base_url")]
    return sorted({_origin(url) for url in urls if url and "://" in url})


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
