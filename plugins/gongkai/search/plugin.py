"""The `gongkai-search` MkDocs plugin: a search page, and the Pagefind index after the build (made in parts: `parts.py`)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from .. import serve
from .config import SearchConfig
from .parts import BUNDLE, Indexed, index_site

log = get_plugin_logger(__name__)

SEARCH_PAGE = "search.md"


class SearchPlugin(BasePlugin[SearchConfig]):
    serving = False
    indexed: Indexed | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if self.config.enabled:
            require_extended_binary()
        return None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if self.config.enabled:
            page = search_page(self.config.merge)
            files.append(File.generated(config, SEARCH_PAGE, content=page, inclusion=InclusionLevel.NOT_IN_NAV))
        return None

    def merged_origins(self) -> list[str]:
        """The origins of the other sites' indexes the search page fetches (for the CSP)."""
        return sorted({f"{parts.scheme}://{parts.netloc}" for m in self.config.merge if (parts := urlsplit(m.url)).netloc})

    def index_folder(self) -> str | None:
        """The folder of the site the index is in (for the audit: it audits the rest while the index is made)."""
        return f"{BUNDLE}/" if self.config.enabled else None

    @event_priority(-50)  # after the pages are all written and the build has let their memory go
    def _index(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or (self.serving and not self.config.index_on_serve):
            return
        if self.serving and not self.config.reindex_on_serve and serve.keep_from_served(BUNDLE, config.site_dir):
            log.info("预览：站内搜索沿用预览启动时的索引（保存的修改要到正式构建或重启预览才能检索到）")
            return
        self.indexed = index_and_say(Path(config.site_dir), Path(config.config_file_path).parent, self.config.part_pages,
                                     sorts_apart=not self.config.merge)

    @event_priority(-150)  # after the audit (-100), which reads the index while it is kept
    def _kept(self, *, config: MkDocsConfig) -> None:
        self._wait_until_kept()

    on_post_build = CombinedEvent(_index, _kept)

    def on_build_error(self, *, error: Exception) -> None:
        self._wait_until_kept()

    def _wait_until_kept(self) -> None:
        if self.indexed is not None:
            self.indexed.kept()
            self.indexed = None


def index_and_say(site_dir: Path, project_root: Path, part_pages: int, sorts_apart: bool) -> Indexed:
    """Index the site (only the parts whose pages changed since they were kept) and log what was done."""
    started = time.monotonic()
    done = index_site(site_dir, project_root, part_pages, keep_later=True, sorts_apart=sorts_apart)
    if not done.pages:
        log.info("没有要收录的页面：不建立检索索引")
        return done
    if not done.indexed_parts:
        log.info(f"网站页面与上次建立索引时逐字节相同：沿用那时的检索索引（{done.pages} 个内容页面）")
        return done
    reused = f"，沿用 {done.parts - len(done.indexed_parts)} 部分" if done.parts > len(done.indexed_parts) else ""
    log.info(f"站内搜索收录 {done.pages} 个内容页面，分 {done.parts} 部分建立索引：Pagefind 重新检索 {len(done.indexed_parts)} 部分"
             f"（{sum(done.indexed_parts)} 个页面）{reused}，用时 {time.monotonic() - started:.1f} 秒")
    return done


def require_extended_binary() -> None:
    """Chinese needs the extended binary: the standard one does not segment words."""
    try:
        import pagefind_bin_extended  # noqa: F401
    except ImportError:
        raise PluginError(
            "站内搜索需要 Pagefind 扩展版（支持中文分词）：请安装 pagefind[extended]（./dev 会自动安装）。"
            "标准版不对中文分词，大多数中文检索会找不到结果。"
        ) from None


def search_page(merge: list) -> str:
    """The search page, as Markdown with one block of HTML that the search script brings to life."""
    sites = [{"url": m.url, "label": m.label, "weight": m.weight} for m in merge]
    config = escape(json.dumps({"merge": sites}, ensure_ascii=False))
    return f"""---
title: 站内搜索
description: 检索本平台公开的文件、机构、标准目录和年度报告
search: false
search_page: true
hide: [toc, navigation]
---

# 站内搜索

<div class="gk-search" data-config="{config}">
<form class="gk-search__form" role="search" method="get">
<label for="gk-search-q">检索词</label>
<input id="gk-search-q" name="q" type="search" autocomplete="off" placeholder="输入标题、文号、索引号或关键词">
<button type="submit">搜索</button>
<p class="gk-search__status" role="status" aria-live="polite"></p>
<fieldset class="gk-search__filters" hidden><legend>筛选和排序</legend>
<span class="gk-search__sort"><label for="gk-search-sort">排序</label>
<select id="gk-search-sort" name="sort"><option value="">按相关度</option><option value="date">按发布日期（新→旧）</option></select></span>
</fieldset>
</form>
<p class="gk-search__active" hidden></p>
<ol class="gk-search__results"></ol>
<p class="gk-search__more" hidden><button type="button">显示更多结果</button></p>
<noscript><p>站内搜索需要浏览器启用 JavaScript。也可以按<a href="../documents/">年份、发文机关和信息类别</a>浏览文件。</p></noscript>
</div>
"""
