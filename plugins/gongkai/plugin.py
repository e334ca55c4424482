"""The `gongkai` MkDocs plugin: thin event hooks around load → rules → pages.

Order of work in one build:

* ``on_config``  load and validate all of `data/`; stop here, before MkDocs cleans
  `site/`, if anything is wrong (so a bad commit never replaces a good site); plan every
  generated page; set all that aside from Python's cycle collector (`memory.py`).
* ``on_pre_build``  move the last build's output aside, to be emptied in the background; the folders this
  build writes into are put back before it writes the first file (`old_site.py`).
* ``on_files``   add the generated pages (bulk pages NOT_IN_NAV, see README), their
  attachments and the Atom feed; render the footer; then, once every plugin has added its
  files, leave other shards' pages alone in a shard build (`shard_build.py`) and take from
  the cache the pages nothing they are made of changed since they were kept (`page_cache.py`),
  linked into the site by another process meanwhile (`linker.py`); start making the files published
  with pages in a forked process while MkDocs converts the pages (`PageCache.make_ahead`).
* ``on_nav``  fork a process converting half of the generated pages while MkDocs' loop converts the rest
  (`convert_elsewhere.py`); its results are taken at ``on_env``.
* ``on_page_markdown`` / ``on_page_content``  give a generated page its metadata, then
  wrap MkDocs' HTML of its Markdown (sanitized: it came from data) in our template, noting
  what the template read (`pages/reads.py`); hold the HTML compressed until the page is
  rendered through the theme (`memory.py`).
* ``on_page_context``  give the page its HTML back; render the pages that show other pages' bodies (汇编).
* ``on_env``     hand the theme the parts rendered once per build (footer, 最近更新, the
  navigation shared by the pages outside it); let the pages from the cache pass, and fork
  helpers that render a share of the others through the theme (`parallel.py`).
* ``on_post_build``  wait for those helpers first, link the kept pages in and keep the new
  ones; give the pages' memory back before Pagefind and the audit run (`memory.py`); once
  the audit is done (or the build failed), give the collector back what was set aside.
* ``on_post_page`` / ``on_post_template``  repair mkdocs-material's invalid markup; let go of a written page's HTML.
* ``on_serve``   watch `data/`; rebuild beside the site being served, which answers at once (`serve.py`);
  the next preview starts by serving the last one's site (`last_preview.py`).
"""

from __future__ import annotations

import datetime
import html
import logging
import os
from functools import partial
from pathlib import Path
from typing import Callable, NoReturn, Sequence
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup
from mkdocs import utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from . import convert_elsewhere, data_watch, last_preview, memory, old_site, page_cache, pages, parallel, quick_preview, rules, serve, shards
from .check import REPORT_ENV, REPORT_TITLE, load_platform, theme_dir
from .config import GongkaiConfig
from .findings import Findings
from .load import kept as kept_records
from .model import Site
from .model.categories import BY_KEY
from .pages import paths, shared_nav, theme
from .pages.feed import feeds, render_feed
from .pages.home import home_context
from .pages.links import DocumentLinks
from .pages.outputs import MadeFile, collisions, data_source, published_file
from .pages.reads import Fingerprints, Traced, TracedMapping, note, recording
from .pages.render import DISK, Renderer, file_size, page_urls, toc_from_html
from .pages.sanitize import clean
from .pages.search import findable
from .rules.privacy import Allowed
from .shard_build import BuiltFrom, ElsewherePage, ShardBuild

log = get_plugin_logger(__name__)

TEMPLATE_FOLDER = "gongkai"
HOME_LATEST = 10


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    helpers: parallel.Helpers | None = None
    converting: convert_elsewhere.Converting | None = None
    shard: ShardBuild | None = None
    aside: old_site.OldSite | None = None
    """The last build's output, set aside (its folders are put back for this build's files)."""
    folders_needed: set[str] | None = None
    """The folders of the site this build writes into, to be put back from `aside` before the first is written."""
    last_build: quick_preview.LastBuild | None = None
    """In `mkdocs serve`, the last build that succeeded (to make the pages of a saved record early)."""
    quiet: logging.Filter | None = None
    left_out: dict[File, InclusionLevel] = {}  # pages MkDocs' loop does not see (`parallel.leave_out`)
    listed: Sequence[File] = []  # every page, as templates list them
    dirty = False
    project_root: Path
    publishing = True
    """Whether the build writes the site of `site_dir` (not `mkdocs serve`'s preview folders)."""
    cache: page_cache.PageCache
    warnings: utils.CountHandler
    warned: list[tuple[str, int]] = []
    urls: dict[str, str]
    footer: Markup
    site: Site
    views: dict[str, pages.View]
    renderer: Renderer
    files: Files
    nav: Navigation
    env: jinja2.Environment
    bodies: dict[str, str]
    quiet_so_far: set[str]
    """The 汇编 pages whose Markdown warned of nothing (rendered once every body is known, then kept if that warns of nothing)."""
    bodies_lost = False
    command = ""
    built = False
    """The last build published its site (on to `on_shutdown`)."""
    updated: datetime.date | None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty
        self.publishing = command != "serve"
        if command == "serve" and self.config.enabled:
            serve.defer_until_served()  # our serve (on_serve) runs the audit once the pages are served
            if not dirty:
                serve.start_from_earlier_site()

    @event_priority(-100)  # after every plugin's
    def on_shutdown(self) -> None:
        kept_records.save_noted()
        if self.command == "build" and self.built and memory.is_mkdocs_program():
            memory.leave_now()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.built = False
        serve.build_folder(config)  # a rebuild of `mkdocs serve` writes beside the site being served
        if not self.config.enabled:
            return None
        # the records and the page plan live until the build ends (`_end_build`) or fails (`on_build_error`)
        with memory.settling():
            self._configure(config)
        return config

    def _configure(self, config: MkDocsConfig) -> None:
        self.project_root = Path(config.config_file_path).parent
        data_dir = Path(self.config.data_dir)
        if not data_dir.is_dir():
            raise PluginError(f"找不到数据目录 {data_dir}（mkdocs.yml 中 gongkai 插件的 data_dir）")
        try:
            self.rule = shards.ShardRule.of(self.config.shards)
            self.shard_name = shards.chosen(self.rule, os.environ.get(shards.ENV))
            site, report = load_platform(self.config, data_dir, self.project_root, Path(config.docs_dir), theme_dir(config))
        except ValueError as exc:
            raise PluginError(str(exc)) from None
        planned = _checked_and_planned(site, report, partial(pages.generate, site, self.config.per_page,
                                                             self.rule.made_by(self.shard_name) if self.shard_name else None))
        _write_check_report(report, strict=bool(config.strict))
        _stop_on_findings(report, strict=bool(config.strict))
        self.site = site
        views = planned()
        _refuse_collisions(views, Path(config.docs_dir), config.use_directory_urls)
        self.views = {view.src_uri: view for view in views}
        self.updated = max((view.date for view in self.views.values() if view.date), default=None)
        self.bodies, self.quiet_so_far, self.held = {}, set(), memory.HeldContent()
        links = DocumentLinks.of(site)
        before = self.cache.fingerprints if getattr(self, "cache", None) else None  # `mkdocs serve`'s last build
        self.cache = page_cache.PageCache(self.project_root, Fingerprints(
            {"site": site, "register": site.register, "links": links, "disk": DISK}, before), f"{config.site_url}\0{self.shard_name or ''}")
        self.warnings = _warning_counter()
        # mkdocs-material's inline bootstrap script then reads the same on every page, so the
        # Content-Security-Policy can allow it by one hash (see audit/csp.py)
        config.extra.setdefault("scope", urlsplit(config.site_url or "/").path or "/")
        # Templates see the site through proxies noting what they read (`pages.reads`, for the page cache).
        traced = DocumentLinks(TracedMapping(links.by_number, "links.by_number"), TracedMapping(links.by_title, "links.by_title"))
        self.renderer = Renderer(
            _template_dirs(config),
            {"site": Traced(site, "site"), "info": site.info, "register": Traced(site.register, "register"), "categories": BY_KEY,
             "file_size": partial(file_size, sizes=TracedMapping(DISK, "disk")), "body_of": self._body_of, "linkify": traced},
        )

    def on_pre_build(self, config: MkDocsConfig) -> None:
        if self.config.enabled and self.publishing:
            last_preview.unmark_built(self.project_root)
        if self.config.enabled and not self.dirty:  # MkDocs empties site/ next: let that happen beside the build
            self.aside = old_site.OldSite.set_aside(Path(config.site_dir))

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:
        if self.config.enabled:
            data_watch.watch_data(server, self.config.data_dir, serve.note_change)
            serve.serve_last_good_site(server, self.dirty, self._early_pages)
        return server

    def _add_pages(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        _drop_unused_theme_files(files, config)
        for view in self.views.values():
            inclusion = InclusionLevel.UNDEFINED if view.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, view.src_uri, content=view.markdown, inclusion=inclusion))
            for src_uri, source in view.files:
                files.append(published_file(config, src_uri, source, self.cache.made_file))
        if config.site_url:  # a feed's links are absolute
            for feed in feeds(self.site):
                text = render_feed(feed, self.renderer, config.site_url, partial(_url_of, files))
                files.append(File.generated(config, feed.src_uri, content=text))
        self.files = files
        self.urls = page_urls(files)
        self.footer = self.renderer.fragment("footer.html", self.urls, _root(config))
        return files

    @event_priority(-100)  # last: every plugin's files are in the list
    def _plan_work(self, files: Files, config: MkDocsConfig) -> Files | None:
        """Decide which pages this build makes: those of its shard, and of those the ones the cache does not hold."""
        if self.config.enabled:
            with memory.settling():  # MkDocs' pages, and those from the cache: they live as long as the build
                self.shard = ShardBuild.plan(self.shard_name, self.rule, self.views, files, config,
                                             BuiltFrom(config, Path(self.config.data_dir), self.site.today)) if self.shard_name else None
                if self.aside:
                    self.folders_needed = old_site.needed_folders([file.dest_uri for file in files if not file.inclusion.is_excluded()])
                self._take_kept_pages(files, config)
                self.cache.make_ahead([file.made for file in files if isinstance(file, MadeFile) and not file.inclusion.is_excluded()])
        return files

    on_files = CombinedEvent(_add_pages, _plan_work)

    def _take_kept_pages(self, files: Files, config: MkDocsConfig) -> None:
        """Make the pages nothing they are made of changed since they were kept `CachedPage`s."""
        self.cache.fingerprints.roots["pages"] = self.urls
        shared = (self.site.info, self.site.search, self.site.settings, str(self.footer))
        key = page_cache.global_key(config, self.views.values(), self.cache.fingerprints, *shared)
        made = [view for view in self.views.values() if self._makes(view.src_uri)]
        self.cache.plan([view for view in made if not view.needs_bodies], key)
        showing = [view for view in made if view.needs_bodies]  # 汇编: the documents' bodies are part of them
        self.cache.need_bodies({uri for view in showing for uri in view.bodies_of})
        self.cache.plan([view for view in showing if all(uri in self.cache.reused for uri in view.bodies_of)], key)
        titles = page_cache.nav_titles(config)
        for uri, kept in self.cache.reused.items():
            file = files.src_uris.get(uri)
            assert file is not None, uri
            page_cache.CachedPage(file, config, kept, titles.get(uri))
        for view in made:
            if not view.markdown and view.src_uri not in self.cache.reused and (file := files.src_uris.get(view.src_uri)):
                page_cache.BlankPage(file, config, titles.get(view.src_uri))
        if self.cache.reused:
            self._put_back_folders()
        self.cache.link_reused(files, Path(config.site_dir))

    def _put_back_folders(self) -> None:
        """Before the first file is written into the site: the kept pages' links, else the pages at `on_env`. Not
        earlier: when the last site's files are its only copies (a cold build), deleting them outlasts the data check."""
        if self.aside and self.folders_needed is not None:
            self.aside.take_folders(self.folders_needed)
            self.folders_needed = None

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation | None:
        self.nav = nav
        if self.config.enabled:
            self.renderer.env.globals["nav"] = nav  # for the 网站地图 page
            if not self.dirty:
                self.converting = convert_elsewhere.Converting.start(self._convertible(files, config), config, files, self._noted_of)
        return nav

    def _convertible(self, files: Files, config: MkDocsConfig) -> list[Page]:
        """The generated pages this build converts that need no other page converted first (not 汇编, not 网站地图),
        outside the nav (which holds its page objects): those another process may convert (`convert_elsewhere.py`)."""
        found = []
        for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
            view = self.views.get(file.src_uri) if file.generated_by is not None else None
            if (view is None or view.needs_bodies or view.shows_nav or file.inclusion != InclusionLevel.NOT_IN_NAV or not self._makes(file.src_uri)
                    or isinstance(file.page, (page_cache.CachedPage, ElsewherePage))):
                continue
            found.append(file.page or Page(None, file, config))
        return found

    def _noted_of(self, page: Page) -> tuple:
        """What the conversion of `page` in another process noted here (`_take_noted` takes it in this one)."""
        uri = page.file.src_uri
        return self.held.take(uri), self.bodies.get(uri), self.cache.rendered_of(uri)

    def _take_noted(self, page: Page, noted: tuple) -> None:
        held, body, rendered = noted
        uri = page.file.src_uri
        self.held.put(uri, held)
        if body is not None:
            self.bodies[uri] = body
        if rendered is not None:
            self.cache.rendered(self.views[uri], *rendered)

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page | None:
        self.warned = self.warnings.get_counts() if self.config.enabled else []
        return None

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or isinstance(page, convert_elsewhere.StandIn):
            return None
        self._describe(page, self._view_of(page))
        return markdown

    def _describe(self, page: Page, view: pages.View | None) -> None:
        """Give a page its metadata: from its view, or checked and escaped from its front matter."""
        # Pagefind indexes content pages only: data pages with a search entry, hand-written pages but the home page
        page.meta["pagefind"] = view.search is not None if view else not page.is_homepage and page.meta.get("search", True)
        if view is None:
            for key in ("title", "description"):  # checked by load.content; escaped all the same
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = html.escape(page.meta[key])
            if page.meta.get("date"):  # checked by load.content: a date, or its text
                page.meta["gk_date"] = str(page.meta["date"])
        else:
            # The theme prints these unescaped; data never reaches it raw.
            page.meta["title"] = html.escape(view.title)
            page.meta["description"] = html.escape(view.description)
            if not view.in_nav:  # the nav has no entry for it: give the content that width
                page.meta["hide"] = ["navigation"]
        # sitemap.xml <lastmod>: the page's own date, else the build day (MkDocs would take today in UTC, so
        # two builds either side of midnight, or a build in China before 08:00, would disagree)
        page.update_date = page.meta.get("gk_date") or (view.date if view and view.date else self.site.today).isoformat()

    def _page_content(self, content: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        if isinstance(page, (page_cache.CachedPage, ElsewherePage, convert_elsewhere.StandIn)):
            return ""
        view = self._view_of(page)
        if page.file.generated_by is None:  # hand-written: checked by load.content, and sanitized as data is
            content = clean(content)
        if view is not None:
            body = clean(content) if view.markdown else ""
            self.bodies[view.src_uri] = body
            if not self._makes(view.src_uri):  # another shard's page a 汇编 of this one shows: its body is all it gives
                return ""
            if view.needs_bodies:
                if self.warnings.get_counts() == self.warned:
                    self.quiet_so_far.add(view.src_uri)
                return content  # rendered in on_page_context, once every body is known
            with recording() as reads:
                content = self._render(view, page, body)
            if self.warnings.get_counts() == self.warned:  # a page that warned is rendered (and warns) again next time
                self.cache.rendered(view, reads, body)
        return content + self._findable(page, view, content)

    @event_priority(-100)  # after every plugin has seen the page's HTML
    def _hold_content(self, content: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        return self.held.hold(page, content) if self.config.enabled and content else None

    on_page_content = CombinedEvent(_page_content, _hold_content)

    def _content_alone(self, view: pages.View, page: Page, content: str) -> str:
        """`on_page_content` for a page made outside a build (`quick_preview.py`): nothing is noted for the cache."""
        content = self._render(view, page, clean(content) if view.markdown else "")
        return content + self._findable(page, view, content)

    def _early_pages(self, changed: set[Path]) -> list[tuple[Path, bytes]]:
        """The preview's pages of the records in the `changed` files, made from the last build (`quick_preview.py`)."""
        last = self.last_build  # unless a build that failed after its data was checked has replaced what it rendered with
        return quick_preview.own_pages(last, changed) if last and last.site is self.site else []

    @event_priority(100)  # before any plugin reads the page's HTML
    def _give_back_content(self, context, page: Page, config: MkDocsConfig, nav: Navigation):
        if self.config.enabled and not (self.helpers and self.helpers.renders(page)):
            self.held.give_back(page)
        return context

    def _page_context(self, context, page: Page, config: MkDocsConfig, nav: Navigation):
        view = self._view_of(page)
        made_here = not isinstance(page, (ElsewherePage, page_cache.CachedPage))  # (another shard's, or kept)
        if view is not None and view.needs_bodies and made_here and not (self.helpers and self.helpers.renders(page)):
            warned, self.bodies_lost = self.warnings.get_counts(), False
            with recording() as reads:
                page.content = self._render(view, page, "")
            if view.src_uri in self.quiet_so_far and self.warnings.get_counts() == warned and not self.bodies_lost:
                self.cache.rendered(view, reads, "")
            page.content += self._findable(page, view, page.content)
        return context

    on_page_context = CombinedEvent(_give_back_content, _page_context)

    def _findable(self, page: Page, view: pages.View | None, content: str) -> str:
        """The hidden words an indexed page is found by (`pages.search.findable`)."""
        if not page.meta.get("pagefind"):
            return ""
        synonyms = self.site.search.synonyms if self.site.search else []
        return findable(page.title or "", content, view.search if view else None, synonyms)

    def _repair_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        return theme.repair(output) if self.config.enabled else None

    @event_priority(-100)  # after every plugin's: the page is written next, its HTML is not needed again
    def _let_go_of_page(self, output: str, *, page: Page, config: MkDocsConfig) -> None:
        if self.config.enabled:
            page.content = None

    on_post_page = CombinedEvent(_repair_page, _let_go_of_page)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        return theme.repair(output_content) if self.config.enabled and template_name.endswith(".html") else None

    @event_priority(-100)  # last: the helpers forked here need every plugin's globals
    def on_env(self, env, config: MkDocsConfig, files: Files):
        shared_nav.install(env, self.nav, config.theme.get("features") or [])  # overrides/partials/ need it, even disabled
        self.env = env
        converting, self.converting = self.converting, None
        if converting:
            converting.take(self._take_noted)
        if self.config.enabled:
            self._put_back_folders()
            self.cache.made_ahead()  # (MkDocs writes them next)
            env.globals["gongkai_footer"] = self.footer
            home = home_context(self.site, HOME_LATEST)
            env.globals["gongkai_home"] = self.renderer.fragment("home.html", self.urls, _root(config), updated=self.updated, **home)
            built = [file.page for file in files.documentation_pages(inclusion=InclusionLevel.is_included) if file.page]
            fresh: list[Page] = []
            passed: list[Page] = []
            for page in built:  # pages from the cache and another shard's pages: MkDocs' loop writes nothing for them
                if isinstance(page, page_cache.CachedPage) or not self._makes(page.file.src_uri):
                    passed.append(page)
                elif not ((view := self._view_of(page)) and view.needs_bodies):  # 汇编: rendered here, to be kept
                    fresh.append(page)
            self.quiet = parallel.pass_over(env, passed)
            processes = self.config.processes or parallel.cpu_count()
            if processes > 1 and parallel.safe_to_fork():
                alone = self.held.largest(fresh, parallel.ALONE_FROM)
                self.helpers = parallel.Helpers.start(processes, fresh, config, files, self.nav, env, alone)
            if self.publishing:  # (`mkdocs serve`'s loop takes the pages left out too)
                self.listed = files.documentation_pages()
                self.left_out = parallel.leave_out(passed + [page for page in fresh if self.helpers and self.helpers.renders(page)])
        return env

    def on_template_context(self, context, *, template_name: str, config: MkDocsConfig):
        if self.left_out:  # sitemap.xml lists every page, also those left out of MkDocs' loop
            context["pages"] = self.listed
        return context

    @event_priority(100)  # first: the site is whole only when the helpers are done and the kept pages are in
    def _complete_site(self, *, config: MkDocsConfig) -> None:
        helpers, self.helpers = self.helpers, None
        if helpers:
            helpers.wait()
        if self.config.enabled:
            left_out = self._stop_passing_over()
            for file in left_out:  # as MkDocs' loop checks the pages it saw
                assert file.page is not None
                file.page.validate_anchor_links(files=self.files, log_level=config.validation.links.anchors)
            self.cache.publish(self.files)
            if not self.shard:  # (a shard makes only its own)
                self.cache.forget_unused_made()
            if serve.when_served(self.cache.save, before_stopping=True):  # the preview shows the new pages first
                self.last_build = quick_preview.LastBuild(config, self.files, self.nav, self.env, self.site, self.config.per_page,
                                                          Path(self.config.data_dir).resolve(), self._describe, self._content_alone)
            else:
                self.cache.save()
            self.cache.links_made()  # (the site is whole from here on)
            total = sum(1 for file in self.files.documentation_pages(inclusion=InclusionLevel.is_included) if self._makes(file.src_uri))
            log.info(f"重新生成 {total - len(self.cache.reused):,} 个页面，复用 {len(self.cache.reused):,} 个")
            if self.shard:
                self.shard.finish(Path(config.site_dir), self.site)
                log.info(f"分片 {self.shard.name}：生成本分片的 {total:,} 个页面（全站 {len(self.views):,} 个生成页面的其余部分由其他分片生成）")

    @event_priority(-40)  # after other plugins' (which may read the pages), before the index (-50) and the audit
    def _release_pages(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled:
            self.bodies, self.held = {}, memory.HeldContent()
            memory.drop_pages(self.files)
            if not serve.when_served(memory.give_back):  # the preview shows the new pages first
                memory.give_back()

    @event_priority(-200)  # after the audit: the site passed
    def _end_build(self, *, config: MkDocsConfig) -> None:
        memory.unsettle()
        if self.shard:  # (its index is written by now)
            self.shard.note_search(Path(config.site_dir), self.project_root)
        if self.aside:
            self.aside.sweep()
            self.aside = None
        self.built = True
        if self.config.enabled and self.publishing and not self.shard:  # a preview may show it while it builds its own
            last_preview.mark_built(self.project_root, Path(config.site_dir))

    on_post_build = CombinedEvent(_complete_site, _release_pages, _end_build)

    def on_build_error(self, *, error: Exception) -> None:
        memory.unsettle()
        if self.aside:
            self.aside.give_up()
            self.aside = None
        self.built = False  # (strict mode fails after `on_post_build`)
        if self.config.enabled and self.publishing and getattr(self, "project_root", None):  # strict mode fails after `on_post_build`
            last_preview.unmark_built(self.project_root)
        helpers, self.helpers = self.helpers, None
        if helpers:
            helpers.stop()
        converting, self.converting = self.converting, None
        if converting:
            converting.stop()
        if getattr(self, "cache", None):
            self.cache.stop()
        self._stop_passing_over()

    def _stop_passing_over(self) -> dict[File, InclusionLevel]:
        """Undo `pass_over` and `leave_out`; the files that were left out."""
        quiet, self.quiet = self.quiet, None
        if quiet:
            parallel.hear_again(quiet)
        left_out, self.left_out, self.listed = self.left_out, {}, []
        parallel.put_back(left_out)
        return left_out

    def personal_allowed(self):
        """Which numbers found in the built site may stay (for the audit)."""
        return Allowed.of(self.site).allows

    def elsewhere(self) -> frozenset[str]:
        """The files of the site other shards make (for the audit: links may lead there)."""
        return self.shard.elsewhere() if self.shard else frozenset()

    def build_day(self) -> datetime.date:
        return self.site.today

    def source_of(self, page: Page) -> str | None:
        """The data file a generated page shows, for messages about the page (audit)."""
        view = self._view_of(page)
        return data_source(view) if view else None

    def _render(self, view: pages.View, page: Page, body: str) -> str:
        if _links_elsewhere(view.markdown):  # MkDocs resolved them against the list of pages
            note("pages")
        content = self.renderer.view(view, page.url, TracedMapping(self.urls, "pages"), body)
        page.toc = toc_from_html(content)
        if not page.toc.items:  # nothing to list: give the content (often a wide table) the room
            page.meta["hide"] = [*page.meta.get("hide", []), "toc"]
        return content

    def _body_of(self, document) -> Markup:
        """A document's body as shown among others (汇编): its ids made unique on that page."""
        src_uri = paths.document(document)
        body = self.bodies[src_uri] if src_uri in self.bodies else self.cache.body(src_uri)
        if body is None:  # not rendered here, not kept (`need_bodies` prevents it): the 汇编 is not kept either
            self.bodies_lost, body = True, ""
        return Markup(theme.scope_ids(body, f"{document.id}-"))

    def _makes(self, src_uri: str) -> bool:
        """Whether this build makes the page or file (every one, unless it builds one shard)."""
        return self.shard is None or self.shard.makes(src_uri)

    def _view_of(self, page: Page) -> pages.View | None:
        if not self.config.enabled or page.file.generated_by is None:
            return None
        return self.views.get(page.file.src_uri)


def _warning_counter() -> utils.CountHandler:
    """Counts the warnings MkDocs and the plugins log (one per build: `mkdocs serve` builds again and again)."""
    logger = logging.getLogger("mkdocs")
    for handler in logger.handlers:
        if getattr(handler, "gongkai", False):
            logger.removeHandler(handler)
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    counter.gongkai = True  # type: ignore[attr-defined]
    logger.addHandler(counter)
    return counter


def _checked_and_planned(site: Site, report: Findings, plan: Callable[[], list[pages.View]]) -> Callable[[], list[pages.View]]:
    """The cross-record rules' findings into `report`, and what gives the pages `plan()` makes: planned meanwhile when
    the loaded data has no errors (at 100,000 documents the rules take 4 s, the plan 7 s). Should planning fail, that
    is raised only once the rules found nothing (data they reject may well break a page), by what gives the pages."""
    if report.errors:
        report.extend(rules.check(site))
        return plan
    site.register  # both read it: worked out once, before the rules' process is forked
    found = parallel.alongside(partial(rules.check, site))
    try:
        views = plan()
    except Exception as exc:  # noqa: BLE001 (raised by what is returned, unless the rules explain it)
        failed = exc
        report.extend(found())
        return partial(_raise, failed)
    report.extend(found())
    return lambda: views


def _raise(exc: Exception) -> NoReturn:
    raise exc


def _write_check_report(report: Findings, strict: bool) -> None:
    """The data check's report, where `gongkai shards build --check-report` asked for it (a pipeline's summary)."""
    path = os.environ.get(REPORT_ENV)
    if not path:
        return
    try:
        Path(path).write_text(report.markdown(REPORT_TITLE, report.failed(strict)), encoding="utf-8")
    except OSError as exc:
        raise PluginError(f"无法写出数据校验报告 {path}：{exc.strerror}") from None


def _stop_on_findings(report: Findings, strict: bool) -> None:
    """Raise with every finding listed, or log the warnings and let the build go on."""
    if report.failed(strict):
        lines = "\n".join(f"  {line}" for line in report.lines())
        note = "\n严格模式（--strict）下，警告同样会中止构建。" if strict and report.warnings else ""
        raise PluginError(f"数据校验未通过（{report.summary()}），本次没有生成网站，原有的 site/ 保持不变：\n{lines}{note}")
    for finding in report.warnings:
        log.warning(str(finding))
    for finding in report.notes:
        log.info(str(finding))


def _refuse_collisions(views: list[pages.View], docs_dir: Path, directory_urls: bool) -> None:
    handwritten = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*") if p.is_file()) if docs_dir.is_dir() else []
    found = list(collisions(views, handwritten, docs_dir.name, directory_urls))
    if found:
        raise PluginError("有的网址被两个来源同时使用，本次没有生成网站：\n" + "\n".join(f"  {line}" for line in found))


def _drop_unused_theme_files(files: Files, config: MkDocsConfig) -> None:
    """Publish only what the site uses: not our page templates, nor mkdocs-material's own
    search (lunr and its worker, 2 MB) when its search plugin is off (Pagefind replaces it)."""
    theme_dirs = {os.path.normpath(d) for d in config.theme.dirs}
    unused = [f"{TEMPLATE_FOLDER}/"]
    if "search" not in config.plugins and "material/search" not in config.plugins:
        unused += ["assets/javascripts/lunr/", "assets/javascripts/workers/search."]
    for file in list(files):
        if file.src_dir and os.path.normpath(file.src_dir) in theme_dirs and file.src_uri.startswith(tuple(unused)):
            files.remove(file)


def _template_dirs(config: MkDocsConfig) -> list[Path]:
    dirs = [Path(d) / TEMPLATE_FOLDER for d in config.theme.dirs if (Path(d) / TEMPLATE_FOLDER).is_dir()]
    if not dirs:
        raise PluginError("找不到 gongkai 页面模板：主题的 custom_dir（通常是 overrides/）下应有 gongkai/ 目录")
    return dirs


def _root(config: MkDocsConfig) -> str:
    """The path of `site_url`, under which the parts shown on every page link root-relatively."""
    return urlsplit(config.site_url or "/").path.rstrip("/") + "/"


def _links_elsewhere(markdown: str) -> bool:
    """Whether Markdown may link to or embed another file of the site (inline, by reference, or as HTML)."""
    return any(mark in markdown for mark in ("](", "]:", "href", "src"))


def _url_of(files: Files, src_uri: str) -> str:
    file = files.get_file_from_path(src_uri)
    assert file is not None, f"no page {src_uri!r} in this build"
    return file.url
