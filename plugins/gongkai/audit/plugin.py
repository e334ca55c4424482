"""The `gongkai-audit` MkDocs plugin: check the built site, fail the build on what it finds.

It runs last (by its event priority, wherever mkdocs.yml lists it), over every file the
build wrote: references to other hosts, IPv4 literals, broken links and anchors, titles,
descriptions, dates, empty columns, and personal information in page text and the search
index. A plugin that is a `Platform` (the `gongkai` plugin) tells it which numbers the
data allows and which data file each page came from; one that is a `SearchIndex` (the
`gongkai-search` plugin), which other sites' indexes the pages fetch.
"""

from __future__ import annotations

import datetime
import time
from functools import partial
from pathlib import Path
from typing import Any, Callable, Protocol, runtime_checkable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from .. import parallel, serve
from ..check import build_date
from ..personal_info import Hit
from . import csp
from .config import AuditConfig
from .report import write_report
from .run import Early, audit

log = get_plugin_logger(__name__)

SHOWN_FINDINGS = 50


@runtime_checkable
class Platform(Protocol):
    """What the audit asks of the plugin that loaded the platform's data."""

    def source_of(self, page: Page) -> str | None: ...

    def personal_allowed(self) -> Callable[[Hit], bool]: ...

    def build_day(self) -> datetime.date: ...

    def elsewhere(self) -> frozenset[str]: ...


@runtime_checkable
class SearchIndex(Protocol):
    def merged_origins(self) -> list[str]: ...

    def index_folder(self) -> str | None:
        """The folder of the site (ending in /) the index is written into; None when there is none."""
        ...


@runtime_checkable
class EditorSite(Protocol):
    def editor_origins(self) -> list[str]: ...


class AuditPlugin(BasePlugin[AuditConfig]):
    serving = False
    early: Early | None = None
    inputs: dict[str, Any] | None = None
    """What the early audit was given (the pages are the same when the index is made: `_finish` gives the same)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.files: Files | None = None
        return None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        self.files = files
        return None

    def _sources(self, config: MkDocsConfig, platform: Platform | None) -> dict[str, str]:
        """The file each page was made from, as editors see it, by the page's file in the site."""
        pages = self.files.documentation_pages() if self.files else []
        return {file.dest_uri: source for file in pages if file.page and (source := _source_of(file.page, config, platform))}

    @event_priority(-45)  # once the pages are written (-40), before the search index is begun (-50)
    def _begin(self, *, config: MkDocsConfig) -> None:
        """Audit the files outside the search index's folder in another process while the index is made."""
        self.early, self.inputs = None, None
        search = _plugin(config, SearchIndex)
        if not self._runs() or search is None or not (folder := search.index_folder()) or not parallel.second_core():
            return
        self.inputs = self._inputs(config)
        self.early = Early(**self.inputs, index_folder=folder)

    @event_priority(-100)  # after every other plugin has written its files (the search index)
    def _finish(self, *, config: MkDocsConfig) -> None:
        if not self._runs():
            return
        search, platform, editor = (_plugin(config, kind) for kind in (SearchIndex, Platform, EditorSite))
        check = partial(self._audit, config, self.inputs or self._inputs(config), search.index_folder() if search else None, self.early,
                        platform.build_day() if platform else build_date(),
                        csp.editor_policy(editor.editor_origins()) if editor is not None else None)
        self.early, self.inputs = None, None
        if not serve.when_served(check):  # `mkdocs serve` shows the new pages first, then audits them
            check()

    on_post_build = CombinedEvent(_begin, _finish)

    def on_build_error(self, *, error: Exception) -> None:
        if self.early is not None:
            self.early.stop()
            self.early = None

    def _runs(self) -> bool:
        return self.config.enabled and not (self.serving and not self.config.on_serve)

    def _inputs(self, config: MkDocsConfig) -> dict[str, Any]:
        """What auditing the site needs to know from the other plugins and the configuration (`run.audit`'s arguments)."""
        platform = _plugin(config, Platform)
        site_dir = Path(config.site_dir)
        return {"site_dir": site_dir, "site_url": config.site_url,
                "allows": platform.personal_allowed() if platform else _nothing_allowed,
                "sources": self._sources(config, platform), "prefix": site_dir.name,
                "project": Path(config.config_file_path).parent if config.config_file_path else None,
                "elsewhere": platform.elsewhere() if platform else frozenset()}

    def _audit(self, config: MkDocsConfig, inputs: dict[str, Any], index_folder: str | None, early: Early | None,
               built: datetime.date, editor_policy: str | None) -> None:
        started = time.monotonic()
        result = audit(**inputs, dev_server=self.serving, index_folder=index_folder, early=early)
        policy = csp.policy(result.script_hashes, merged_origins(config))
        if self.config.report_dir:
            write_report(result, inputs["site_dir"] / self.config.report_dir, policy, built, config.site_name, editor_policy)
        report = result.report
        scanned = f"（读了其中 {result.pages - result.reused} 个有变化的页面，{result.reused} 个沿用上次的结果）" if result.reused else ""
        log.info(f"构建检查：{result.pages} 个页面{scanned}、{result.files} 个文件，{report.summary()}，用时 {time.monotonic() - started:.1f} 秒")
        failed = report.errors or (config.strict and report.warnings)
        if failed and not self.serving:
            lines = report.lines()
            more = f"\n  ……另有 {len(lines) - SHOWN_FINDINGS} 条，见 {self.config.report_dir}/report.json" if len(lines) > SHOWN_FINDINGS else ""
            listed = "\n".join(f"  {line}" for line in lines[:SHOWN_FINDINGS])
            raise PluginError(f"构建检查未通过（{report.summary()}），请勿发布本次生成的 site/：\n{listed}{more}")
        for finding in report.sorted():
            log.warning(str(finding))


def _plugin(config: MkDocsConfig, kind: type) -> Any:
    """The enabled plugin that is a `kind`, whatever mkdocs.yml calls it."""
    return next((p for p in config.plugins.values() if isinstance(p, kind) and getattr(p.config, "enabled", True)), None)  # type: ignore[attr-defined]


def _nothing_allowed(hit: Hit) -> bool:
    return False


def _source_of(page: Page, config: MkDocsConfig, platform: Platform | None) -> str | None:
    """The file a page was made from, as editors see it in the repository."""
    if page.file.generated_by is None:
        return f"{Path(config.docs_dir).name}/{page.file.src_uri}"
    return platform.source_of(page) if platform is not None else None


def merged_origins(config: MkDocsConfig) -> list[str]:
    search = _plugin(config, SearchIndex)
    return search.merged_origins() if search is not None else []
