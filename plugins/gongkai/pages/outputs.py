"""No two sources may make the same file of the site.

A unit named `guide` would make `units/guide/index.html`, which a platform page may already
be; a hand-written `content/units/index.md` would replace the generated unit list. MkDocs
writes both, the later silently winning. Here every generated page and file, and every
hand-written one, is mapped to the file it becomes, and any file claimed twice is an error
naming both sources: no list of reserved words to keep up to date.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Callable, Iterable, Iterator

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from ..cache import link
from ..model.fields import Entry
from .view import Made, View


def none_kept(made: Made) -> None:
    """No kept file holds a made file's bytes: it is written from them."""


def published_file(config: MkDocsConfig, src_uri: str, source: Path | bytes | Made,
                   kept: Callable[[Made], Path | None] = none_kept) -> File:
    """The MkDocs file of a file published with a page (`View.files`); `kept` gives a file holding a `Made` file's
    bytes, when one is kept (it is linked into the site), or None."""
    if isinstance(source, bytes):
        return File.generated(config, src_uri, content=source)
    if isinstance(source, Made):
        file = MadeFile.generated(config, src_uri, content=b"")  # (MkDocs' own `generated`: a MadeFile)
        assert isinstance(file, MadeFile)
        file.made, file.kept = source, kept
        return file
    return SourceFile.generated(config, src_uri, abs_src_path=str(source))


class SourceFile(File):
    """A file of the repository published as it is (an attachment)."""

    def copy_file(self, dirty: bool = False) -> None:
        try:
            super().copy_file(dirty)
        except FileNotFoundError:
            raise vanished(self.abs_src_path) from None


def vanished(path: str | None) -> PluginError:
    """A file of the data, there when the data was checked, gone since: an editor moved it while the site was built."""
    return PluginError(f"{path} 在构建过程中被删除或移动了；请重新构建")


class MadeFile(File):
    """A generated file whose bytes are made only when it is written (or read)."""

    made: Made
    kept: Callable[[Made], Path | None]

    @property
    def content_bytes(self) -> bytes:
        kept = self.kept(self.made)
        return kept.read_bytes() if kept else self.made.bytes()

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:  # another plugin's content replaces ours
        self.made, self.kept = Made(bytes, (value,)), none_kept

    def copy_file(self, dirty: bool = False) -> None:
        path = Path(self.abs_dest_path)
        kept = self.kept(self.made)
        if kept:
            link(kept, path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.made.bytes())


def output_path(src_uri: str, directory_urls: bool) -> str:
    """The file MkDocs writes for `src_uri` (its rule for Markdown pages; other files as they are)."""
    if not src_uri.endswith(".md"):
        return src_uri
    stem = src_uri.removesuffix(".md")
    folder, name = posixpath.split(stem)
    if name in ("index", "README") or not directory_urls:
        return posixpath.join(folder, "index.html" if name in ("index", "README") else f"{name}.html")
    return posixpath.join(stem, "index.html")


def address(src_uri: str) -> str:
    """The address a reader types for `src_uri` (directory URLs): units/qzfb.md → /units/qzfb/."""
    return "/" + output_path(src_uri, True).removesuffix("index.html")


def data_source(view: View) -> str | None:
    """The data file a view shows; None for a platform page (a list, an index)."""
    for value in view.context.values():
        if isinstance(value, Entry) and value.path is not None:
            return value.source.file
    return None


def collisions(views: Iterable[View], handwritten: Iterable[str], docs_name: str, directory_urls: bool) -> Iterator[str]:
    """A sentence for each site file that two sources would write."""
    claimed: dict[str, str] = {}

    def claim(src_uri: str, source: str) -> Iterator[str]:
        out = output_path(src_uri, directory_urls)
        first = claimed.setdefault(out, source)
        if first != source:
            yield f"{out}：{first} 与 {source} 生成的是同一个网址，后者会覆盖前者；请修改其中一个的编号或文件名"

    for uri in handwritten:
        yield from claim(uri, f"{docs_name}/{uri}")
    for view in views:
        source = data_source(view) or f"平台页面 {view.src_uri}"
        yield from claim(view.src_uri, source)
        for uri, _ in view.files:
            yield from claim(uri, f"{source} 的附件 {Path(uri).name}")
