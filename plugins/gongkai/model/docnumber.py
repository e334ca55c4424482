"""发文字号 as real documents carry them, read into their parts.

Three forms are in use:

* 机关代字〔年份〕序号号 (GB/T 9704-2012 §7.2.5): 泉鲤政办〔2020〕38号; published numbers also
  write 第 before the serial (公告〔2020〕第1号) or other brackets ([2020], 【2020】, shown as 〔〕);
* a numbered order or announcement without a year: 国令第707号, 中华人民共和国主席令第三十一号,
  福建省人民政府令第211号, 建设部令第89号, 主席令（第二十四号）, often printed with a space
  before 第 (…委员会令 第16号, shown without it);
* one numbered within its year: 国家税务总局公告2018年第31号, 交通运输部令2016年第62号,
  财政部 税务总局公告2019年第39号 (issuers of a joint announcement are separated by a space).

A document issued jointly under several numbers lists them separated by “、”.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ISSUER = r"[\u4e00-\u9fa5A-Za-z（）()·]+(?: [\u4e00-\u9fa5A-Za-z（）()·]+)*?"
_SERIAL = r"(?P<serial>\d*[1-9]\d*|[〇零一二三四五六七八九十百千]+)"
_BRACKETS = {"〔": "〕", "[": "]", "［": "］", "【": "】"}

_FORMS = (
    re.compile(rf"^(?P<prefix>{_ISSUER})(?P<open>[〔\[［【])(?P<year>\d{{4}})(?P<close>[〕\]］】])(?P<nth>第?){_SERIAL}号$"),
    re.compile(rf"^(?P<prefix>{_ISSUER}(?:令|公告|通告)) ?(?P<year>\d{{4}})年(?P<nth>第?){_SERIAL}号$"),
    re.compile(rf"^(?P<prefix>{_ISSUER}(?:令|公告|通告)) ?(?P<open>[（(]?)(?P<nth>第){_SERIAL}号(?P<close>[）)]?)$"),
)
_SEPARATORS = re.compile(r"\s*[、；;，,]\s*")
_ROUND_YEAR = re.compile(r"(?<=[\u4e00-\u9fa5])[（(](\d{4})[）)](?=第?\d+号)")

def _schema_pattern() -> str:
    """The forms as one pattern for editors' YAML editors (ECMAScript: no named groups, and
    no check that brackets pair up, which the parser below adds)."""
    one = "|".join(re.sub(r"\(\?P<\w+>", "(", form.pattern)[1:-1] for form in _FORMS)
    digits = one.replace(r"\d", "[0-9０-９]").replace("[1-9]", "[1-9１-９]")
    return rf"^({digits})([、；;，,]\s*({digits}))*$"


PATTERN = _schema_pattern()
"""What editors' YAML editors check as they type; the parser says more."""

FORMS_HELP = ("应为“机关代字〔年份〕序号号”（泉鲤政办〔2020〕38号），或令、公告的编号（国令第707号、"
              "福建省人民政府令第211号、国家税务总局公告2018年第31号）；联合发文的多个文号用“、”分隔")


@dataclass(frozen=True)
class Part:
    prefix: str
    year: int | None
    serial: str
    nth: str
    """“第” where the number was written with it."""
    kind: str
    """“代字”: 机关代字〔年份〕序号号; “年度”: …2018年第31号; “令”: …令第707号."""
    wrapped: bool = False
    """An order's number written in parentheses: 主席令（第二十四号）."""

    def __str__(self) -> str:
        if self.kind == "代字":
            return f"{self.prefix}〔{self.year}〕{self.nth}{self.serial}号"
        if self.kind == "年度":
            return f"{self.prefix}{self.year}年{self.nth}{self.serial}号"
        return f"{self.prefix}（第{self.serial}号）" if self.wrapped else f"{self.prefix}第{self.serial}号"


@dataclass(frozen=True)
class DocNumber:
    parts: tuple[Part, ...]

    @property
    def year(self) -> int | None:
        return self.parts[0].year

    def __str__(self) -> str:
        return "、".join(str(p) for p in self.parts)


def _part(text: str) -> Part | None:
    for kind, form in zip(("代字", "年度", "令"), _FORMS):
        match = form.match(text)
        if match is None:
            continue
        opened, closed = match.groupdict().get("open") or "", match.groupdict().get("close") or ""
        if kind == "代字" and _BRACKETS[opened] != closed or kind == "令" and bool(opened) != bool(closed):
            return None
        year = match.groupdict().get("year")
        return Part(match["prefix"], int(year) if year else None, match["serial"], match["nth"], kind, kind == "令" and bool(opened))
    return None


@functools.lru_cache(maxsize=1 << 16)  # validation, the rules and every list that shows it ask again
def parse(text: str) -> DocNumber | None:
    """The number's parts, or None if it is not a 文号 in any known form."""
    text = text.strip().translate(_DIGITS)
    whole = _part(text)
    if whole is not None:
        return DocNumber((whole,))
    parts = [_part(piece) for piece in _SEPARATORS.split(text)]
    if len(parts) > 1 and all(parts):
        return DocNumber(tuple(p for p in parts if p))
    return None


def bracket_years(text: str) -> str:
    """Every 文号 in `text` with its year in 六角括号: 泉政文(2014)5号 → 泉政文〔2014〕5号."""
    return _ROUND_YEAR.sub(r"〔\1〕", text)


def suggestion(text: str) -> str | None:
    """A corrected number for a common slip, when the correction parses: （2014） for 〔2014〕."""
    fixed = bracket_years(text.strip())
    return fixed if fixed != text.strip() and parse(fixed) else None
