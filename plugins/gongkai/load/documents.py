"""What a document file brings beside its YAML: a Markdown body and attachments."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..attachments import Malformed
from ..findings import Position, error, warning
from ..model import Document
from ..model.privacy import Unread
from .personal import in_attachment, in_text
from .textfile import MAX_MARKDOWN
from .unsafe_html import unsafe_html

if TYPE_CHECKING:
    from . import Loader



def document_files(path: Path, data: dict) -> Iterator[Path]:
    """The body and attachments a document file names, read from its raw data."""
    yield path.with_suffix(".md")
    attachments = data.get("attachments")
    for item in attachments if isinstance(attachments, list) else ():
        if isinstance(item, dict) and isinstance(item.get("file"), str):
            yield path.parent / item["file"]


def complete_document(document: Document, loader: "Loader") -> Document | None:
    """Read the sibling `<id>.md`, check the attachments exist and the folder's year fits."""
    path = document.path
    assert path is not None
    ok = True
    body_file = path.with_suffix(".md")
    if body_file.is_file():
        if document.body:
            loader.report.add(
                error(document.at("body"), f"正文只能写在一处：已有 {loader.display(body_file)}，请删除此处的 body", "body（正文）")
            )
            ok = False
        else:
            body = loader.read_text(body_file, MAX_MARKDOWN)
            if body is None:
                return None
            loader.personal += in_text(body, loader.display(body_file))
            for line, column, message in unsafe_html(body):
                loader.report.add(error(Position(loader.display(body_file), line, column), message, "正文"))
            document = document.model_copy(update={"body": body}).placed(document.id, document.source, path)
    for i, attachment in enumerate(document.attachments):
        file = path.parent / attachment.file
        if file.is_file():
            ok = _check_attachment(file, loader) and ok
        else:
            loader.report.add(
                error(document.at("attachments", i, "file"), f"附件文件“{attachment.file}”不存在（应与本文件放在同一目录）",
                      document.label_of("attachments", i, "file"))
            )
            ok = False
    folder = path.parent.name
    years = {str(document.published.year), str(document.written.year)}
    if folder not in years:
        loader.report.add(
            warning(Position(loader.display(path)), f"文件应放在 data/documents/{document.published.year}/ 目录下（按发布年份归档）")
        )
    return document if ok else None


def _check_attachment(file: Path, loader: "Loader") -> bool:
    """Read what the attachment says for personal information; False if it may not be published."""
    if not loader.inside(file):
        return False
    shown = loader.display(file)
    try:
        found, unread = in_attachment(file, shown)
    except Malformed as exc:
        loader.report.add(error(Position(shown), f"附件无法读取：{exc}。请重新导出或另存后再上传"))
        return False
    except OSError as exc:
        loader.report.add(error(Position(shown), f"附件无法读取（{exc.strerror or exc}）"))
        return False
    loader.personal += found
    if unread:
        loader.unread.append(Unread(Position(shown), unread))
    return True
