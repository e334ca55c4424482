"""Reply templates for 依申请公开 (条例 第三十六条 and the procedural notices), per unit.

Each template is a list of paragraphs with the unit's details filled in; the printable
page and the DOCX download are made from the same paragraphs. Blanks the official who
uses the template must fill are written as ＿＿.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence
from xml.sax.saxutils import escape

from ..ooxml import Part, package, part, read_parts

BLANK = "＿＿＿＿"
_DAY = "　　年　　月　　日"


@dataclass(frozen=True)
class Reply:
    key: str
    title: str
    basis: str
    body: tuple[str, ...]
    remedy: str | None = None  # "review-first" for 不予公开, "either" for the other decisions


_RECEIVED = f"本机关于{_DAY}收到您（单位）提出的政府信息公开申请，申请获取“{BLANK}”的政府信息。"

REPLIES: tuple[Reply, ...] = (
    Reply("published", "政府信息公开申请答复书（已主动公开）", "第三十六条第（一）项", (
        _RECEIVED,
        "经审查，您申请获取的政府信息已经主动公开。根据《中华人民共和国政府信息公开条例》第三十六条第（一）项的规定，"
        f"现告知您获取该政府信息的方式和途径：该信息已在{{platform}}公开，网址为{BLANK}，您可以自行查阅、下载。",
    ), "either"),
    Reply("disclosed", "政府信息公开申请答复书（予以公开）", "第三十六条第（二）项", (
        _RECEIVED,
        "经审查，您申请获取的政府信息属于公开范围。根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，"
        f"现向您提供该政府信息（见附件），提供方式为：{BLANK}。",
    ), "either"),
    Reply("withheld", "政府信息不予公开告知书", "第三十六条第（三）项", (
        _RECEIVED,
        f"经审查，您申请获取的政府信息属于{BLANK}，根据《中华人民共和国政府信息公开条例》第{BLANK}条和第三十六条第（三）项的规定，"
        f"不予公开。理由如下：{BLANK}。",
    ), "review-first"),
    Reply("not-exist", "政府信息不存在告知书", "第三十六条第（四）项", (
        _RECEIVED,
        "经检索，本机关未制作或者获取您申请的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第（四）项的规定，告知您该政府信息不存在。",
    ), "either"),
    Reply("not-ours", "非本机关负责公开告知书", "第三十六条第（五）项", (
        _RECEIVED,
        "经审查，您申请获取的政府信息不属于本机关负责公开。根据《中华人民共和国政府信息公开条例》第三十六条第（五）项的规定，"
        f"告知您：该政府信息由{BLANK}负责公开，联系方式为{BLANK}。",
    ), "either"),
    Reply("repeated", "重复申请不予处理告知书", "第三十六条第（六）项", (
        _RECEIVED,
        f"经审查，您的申请与本机关已于{_DAY}答复的申请（{BLANK}）内容相同。根据《中华人民共和国政府信息公开条例》"
        "第三十六条第（六）项的规定，本机关不再重复处理。",
    ), "either"),
    Reply("special-law", "依照有关法律法规办理告知书", "第三十六条第（七）项", (
        _RECEIVED,
        "经审查，您申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定。"
        f"根据《中华人民共和国政府信息公开条例》第三十六条第（七）项的规定，请您依照{BLANK}的规定办理。",
    ), "either"),
    Reply("correction", "补正申请告知书", "第三十条", (
        _RECEIVED,
        "经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，请您自收到本告知书之日起"
        f"{BLANK}个工作日内，对以下内容作出补正：{BLANK}。",
        "答复期限自本机关收到补正的申请之日起计算。申请人无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    )),
    Reply("extension", "延期答复告知书", "第三十三条", (
        _RECEIVED,
        f"因{BLANK}，本机关不能在收到申请之日起 20 个工作日内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条的规定，"
        f"经本机关政府信息公开工作机构负责人同意，答复期限延长 20 个工作日，本机关将于{_DAY}前作出答复。",
    )),
    Reply("third-party", "征求第三方意见书", "第三十二条", (
        f"本机关于{_DAY}收到{BLANK}提出的政府信息公开申请，申请公开“{BLANK}”。经审查，公开该政府信息可能损害您（单位）的合法权益。",
        "根据《中华人民共和国政府信息公开条例》第三十二条的规定，请您自收到本征求意见书之日起 15 个工作日内提出书面意见。"
        "逾期未提出意见的，由本机关依照条例的规定决定是否公开。",
    )),
)

BY_KEY = {r.key: r for r in REPLIES}


def remedy_text(reply: Reply, review_body: str, court: str) -> str | None:
    """The remedy paragraph. Since 2024 a refusal to disclose must go to 复议 before court
    (《中华人民共和国行政复议法》第二十三条第一款第（四）项)."""
    if reply.remedy == "review-first":
        return (f"如对本告知书不服，可以自收到本告知书之日起六十日内向{review_body}申请行政复议；"
                "对行政复议决定不服的，可以依法向人民法院提起行政诉讼。")
    if reply.remedy == "either":
        return (f"如对本答复不服，可以自收到本答复之日起六十日内向{review_body}申请行政复议，"
                f"或者自收到本答复之日起六个月内向{court}提起行政诉讼。")
    return None


def paragraphs(reply: Reply, unit_name: str, platform: str, review_body: str, court: str) -> list[str]:
    """Every paragraph of the filled-in template, addressee first."""
    body = [p.replace("{platform}", platform) for p in reply.body]
    remedy = remedy_text(reply, review_body, court)
    return [f"{BLANK}：", *body, *([remedy] if remedy else []), "特此告知。" if reply.key != "third-party" else "特此函询。"]


def docx(reply: Reply, unit_name: str, lines: Sequence[str]) -> bytes:
    """The template as a .docx: the same paragraphs, a number line and the seal block."""
    parts, document_xml = _base()
    body = "".join(_paragraph(line, indent=i > 0) for i, line in enumerate(lines))
    filled = document_xml.replace("⟦unit⟧", escape(unit_name)).replace("⟦title⟧", escape(reply.title)).replace("⟦body⟧", body)
    return package(p if p.name != "word/document.xml" else part(p.name, filled.encode("utf-8")) for p in parts)


def _paragraph(text: str, indent: bool) -> str:
    props = '<w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr>' if indent else ""
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


@lru_cache(maxsize=None)
def _base() -> tuple[tuple[Part, ...], str]:
    """A minimal document made once with python-docx, its unchanging parts compressed once.

    Returns the parts and the text of word/document.xml, whose ⟦body⟧ paragraph each
    unit's template replaces with its own paragraphs.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    CENTER, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT

    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(16)
    style.font.name = "仿宋"
    document.add_paragraph("⟦unit⟧").alignment = CENTER
    document.add_paragraph("⟦title⟧").alignment = CENTER
    document.add_paragraph("　　公复〔　　　〕　　号").alignment = RIGHT
    document.add_paragraph("⟦body⟧")
    document.add_paragraph("⟦unit⟧（印章）").alignment = RIGHT
    document.add_paragraph(_DAY).alignment = RIGHT
    document.core_properties.author = "gongkai"
    buffer = io.BytesIO()
    document.save(buffer)
    contents = read_parts(buffer.getvalue())
    contents["docProps/core.xml"] = re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z", contents["docProps/core.xml"]
    )
    xml = contents["word/document.xml"].decode("utf-8")
    xml = re.sub(r"<w:p>(?:(?!<w:p>).)*?⟦body⟧.*?</w:p>", "⟦body⟧", xml, count=1, flags=re.S)
    return tuple(part(name, data) for name, data in contents.items()), xml
