"""The `gongkai-audit` MkDocs plugin: check the built site, fail the build on what it finds.

It runs last (list it after `gongkai` and `gongkai-search` in mkdocs.yml), over every
file the build wrote: references to other hosts, IPv4 literals, broken links and anchors,
titles, descriptions, dates, empty columns, and personal information in page text. With
the `gongkai` plugin it also knows which numbers the data allows and which data file each
page came from.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.pages import Page

from ..check import build_date
from ..rules.privacy import Allowed
from . import csp
from .config import AuditConfig
from .report import write_report
from .run import audit

log = get_plugin_logger(__name__)

SHOWN_FINDINGS = 50


class AuditPlugin(BasePlugin[AuditConfig]):
    serving = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.sources: dict[str, str] = {}
        return None

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        source = _source_of(page, config) if self.config.enabled else None
        if source:
            self.sources[page.file.dest_uri] = source
        return None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or (self.serving and not self.config.on_serve):
            return
        started = time.monotonic()
        site_dir = Path(config.site_dir)
        gongkai = _enabled_plugin(config, "gongkai")
        site = getattr(gongkai, "site", None)
        result = audit(site_dir, config.site_url, Allowed.of(site).allows, self.sources, prefix=site_dir.name)
        policy = csp.policy(result.script_hashes, merged_origins(config))
        if self.config.report_dir:
            write_report(result, site_dir / self.config.report_dir, policy, site.today if site else build_date(), config.site_name)
        report = result.report
        log.info(f"构建检查：{result.pages} 个页面、{result.files} 个文件，{report.summary()}，用时 {time.monotonic() - started:.1f} 秒")
        failed = report.errors or (config.strict and report.warnings)
        if failed and not self.serving:
            lines = report.lines()
            more = f"\n  ……另有 {len(lines) - SHOWN_FINDINGS} 条，见 {self.config.report_dir}/report.json" if len(lines) > SHOWN_FINDINGS else ""
            listed = "\n".join(f"  {line}" for line in lines[:SHOWN_FINDINGS])
            raise PluginError(f"构建检查未通过（{report.summary()}），请勿发布本次生成的 site/：\n{listed}{more}")
        for finding in report.sorted():
            log.warning(str(finding))


def _enabled_plugin(config: MkDocsConfig, name: str):
    plugin = config.plugins.get(name)
    return plugin if plugin is not None and getattr(plugin.config, "enabled", True) else None


def _source_of(page: Page, config: MkDocsConfig) -> str | None:
    """The file a page was made from, as editors see it in the repository."""
    if page.file.generated_by is None:
        return f"{Path(config.docs_dir).name}/{page.file.src_uri}"
    gongkai = _enabled_plugin(config, "gongkai")
    return gongkai.source_of(page) if gongkai is not None else None


def merged_origins(config: MkDocsConfig) -> list[str]:
    search = _enabled_plugin(config, "gongkai-search")
    if search is None:
        return []
    origins = []
    for merged in search.config.merge:
        parts = urlsplit(merged.url)
        if parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))
