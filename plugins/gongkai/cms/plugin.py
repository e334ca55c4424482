"""The `gongkai-cms` MkDocs plugin: the web editor under /admin/ (Decap CMS, from npm, served by the site itself).

It adds three things to the built site: `admin/index.html` (the editor's page: noindex, outside
the nav, the sitemap and the search index), `admin/config.yml` (generated from the record kinds,
see `editor.py`; a stale committed copy is a warning, so `--strict` stops) and the editor's
program files from the pinned npm package. Nothing is fetched from another host when it runs
but the git host it commits to.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from ..audit.csp import editor_policy
from .config import CmsConfig
from .editor import CONFIG_FILE, LOCAL_PROXY, as_yaml, backend_origins, editor_config

log = get_plugin_logger(__name__)

FOLDER = "admin"
TEMPLATES = Path(__file__).parent / "templates"


class CmsPlugin(BasePlugin[CmsConfig]):
    config_text: str = ""
    bundle: list[Path]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        missing = self.config.backend.missing()
        if missing:
            raise PluginError(f"mkdocs.yml 中 gongkai-cms 的 backend（{self.config.backend.name}）缺少 {'、'.join(missing)}："
                              "连接代码仓库的步骤见 README“给部署人员”中的“网站编辑器”")
        root = Path(config.config_file_path).parent
        self.bundle = program_files(root / self.config.bundle)
        self.config_text = editor_yaml_for(config, self.config)
        committed = root / CONFIG_FILE
        if not committed.is_file() or committed.read_text(encoding="utf-8") != self.config_text:
            log.warning(f"{CONFIG_FILE} 与数据模型或 mkdocs.yml 中 gongkai-cms 的设置不一致：请运行 ./dev cms 重新生成并提交"
                        "（网站发布的是按现在的模型生成的配置）")
        return None

    def page(self, config: MkDocsConfig) -> str:
        """The editor's page. It carries its policy too (also where no server sends one, as `mkdocs serve`):
        with its local backend's address, and without 'unsafe-inline' for scripts, so the live-reload
        script `mkdocs serve` adds to pages cannot reload the editor, and a form being filled, when the
        preview rebuilds."""
        policy = editor_policy([*self.editor_origins(), LOCAL_PROXY], in_page=True)
        page = (TEMPLATES / "admin.html").read_text(encoding="utf-8")
        favicon = config.theme.get("favicon") or "assets/images/favicon.png"
        for name, value in (("site_name", config.site_name), ("favicon", favicon), ("policy", policy)):
            page = page.replace("{{ " + name + " }}", str(escape(value)))
        return page

    def editor_origins(self) -> list[str]:
        """The hosts the editor's page talks to (its Content-Security-Policy, see audit/csp.py)."""
        return backend_origins(self.config.backend.as_decap())

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        files.append(File.generated(config, f"{FOLDER}/index.html", content=self.page(config)))
        files.append(File.generated(config, f"{FOLDER}/admin.css", abs_src_path=str(TEMPLATES / "admin.css")))
        files.append(File.generated(config, f"{FOLDER}/config.yml", content=self.config_text))
        for path in self.bundle:
            files.append(File.generated(config, f"{FOLDER}/{path.name}", abs_src_path=str(path)))
        return files


def program_files(dist: Path) -> list[Path]:
    """The editor's script, the chunks it loads on demand, their WebAssembly and licence (no source maps)."""
    main = dist / "decap-cms.js"
    if not main.is_file():
        raise PluginError(f"找不到网站编辑器的程序文件 {main}：请运行 npm ci --prefix tools/cms（./dev build、./dev serve 会自动安装），"
                          "或在 mkdocs.yml 中关闭 gongkai-cms（enabled: false）")
    chunks = sorted(dist.glob("*.decap-cms.js")) + sorted(dist.glob("*.wasm"))
    return [main, *chunks, *dist.glob("decap-cms.js.LICENSE.txt")]


def editor_config_for(config: MkDocsConfig, options: CmsConfig) -> dict:
    """The editor's configuration for this site."""
    root = Path(config.config_file_path).parent
    return editor_config(options.backend.as_decap(), config.site_url, data_dir_of(config, root))


def editor_yaml_for(config: MkDocsConfig, options: CmsConfig) -> str:
    """That configuration as `gongkai cms` writes it and the build publishes it."""
    return as_yaml(editor_config_for(config, options))


def data_dir_of(config: MkDocsConfig, root: Path) -> str:
    """The gongkai plugin's data folder, as a path in the repository (Decap's paths are)."""
    plugin = config.plugins.get("gongkai")
    data = Path(plugin.config.data_dir) if plugin is not None else root / "data"
    try:
        return data.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise PluginError(f"网站编辑器只能编辑 mkdocs.yml 所在目录中的数据：{data} 不在 {root} 中") from None
