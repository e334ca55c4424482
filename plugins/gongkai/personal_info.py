"""Personal information that must not be published: what it looks like in text.

Each detector finds candidates with a regular expression and keeps only those that pass
the real test of the kind (the check digit of a 居民身份证号, a real birth date, the
Luhn digit of a bank card), so that numbers of other kinds — 文号, 索引号, dates,
统一社会信用代码 — are not reported.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Iterator

# Numbers are looked for in a normalised copy of the text, one character for one (so that
# offsets stay those of the original): full-width digits and letters become ASCII, every kind
# of space becomes " ", dashes "-", and characters that show nothing (zero-width, soft
# hyphen) become NUL, which joins what it stands between. A number may then be written in
# groups separated by one space, hyphen, dot or slash, or split over two lines of a paragraph.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"
_WIDE = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ＠．－／＋％＿"
_NORMAL = {
    **{ord(c): chr(ord(c) - 0xFEE0) for c in _WIDE},  # full-width forms → ASCII
    **{ord(c): "\0" for c in _INVISIBLE},
    **{ord(c): " " for c in _SPACES},
    **{ord(c): "-" for c in _DASHES},
    0x3002: ".",  # 。between digits reads as a dot
    0x00B7: ".",
}
# Only these characters change; most pages have few, so they are replaced where they stand
# (str.translate would walk every character of every page); but the two that Chinese text has in every
# sentence and heading (。 and the ideographic space) by str.replace: a call back for each took a sixth
# of the time normalising a page's text (71 → 60 µs at 10,000 documents).
_COMMON = {code: _NORMAL[code] for code in (0x3002, 0x3000)}
_ODD = re.compile("[" + re.escape("".join(chr(c) for c in _NORMAL if c not in _COMMON)) + "]")
_SEPARATOR = r"(?:\0*(?:[ \-./]|\r?\n[ ]*)\0*|\0+)"
# A run of digits in groups, not part of a word: where every kind of number lives. The
# look-behind sits after the first digit so that the search only stops at digits; the
# look-ahead skips runs too short to hold the shortest number (11 digits) at once.
_RUN = re.compile(r"\d(?<![0-9A-Za-z]\d)(?=[\d \-./\r\n\0]{10})\d*(?:" + _SEPARATOR + r"\d+)*(?:" + _SEPARATOR + r"?[Xx])?(?![0-9A-Za-z])")
_GROUP = re.compile(r"\d+|[Xx]")
_EMAIL_DOMAIN = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_EMAIL_NAME = re.compile(r"[A-Za-z0-9._%+-]+$")
_MOBILE = re.compile(r"(?:86)?1[3-9]\d{9}")
_ID_18 = re.compile(r"[1-9]\d{5}(?:18|19|20)\d{2}[01]\d[0-3]\d\d{3}[\dX]")
_ID_15 = re.compile(r"[1-9]\d{7}[01]\d[0-3]\d\d{3}")
_CARD = re.compile(r"[3-6]\d{15,18}")
_LONGEST = 19

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

KINDS = {"id": "居民身份证号", "mobile": "手机号码", "card": "银行卡号", "email": "电子邮箱"}


@dataclass(frozen=True)
class Hit:
    kind: str
    """One of KINDS."""
    value: str
    """As written in the text."""
    start: int

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def key(self) -> str:
        """The value as compared with the allowed list: digits only (or the lower-case e-mail)."""
        return canonical(self.value)

    @property
    def masked(self) -> str:
        """The value as a report may print it: enough to find it, not enough to use it."""
        if self.kind == "email":
            name, _, domain = self.value.partition("@")
            return f"{name[:2]}***@{domain}"
        return self.value[:3] + "*" * max(len(self.value) - 7, 3) + self.value[-4:]


def normalise(text: str) -> str:
    """`text` with the same length, in the characters numbers and addresses are matched in."""
    for char, normal in _COMMON.items():
        text = text.replace(chr(char), normal)
    return _ODD.sub(lambda match: _NORMAL[ord(match.group())], text)


def canonical(value: str) -> str:
    value = normalise(value)
    if "@" in value:
        return value.strip().lower()
    digits = re.sub(r"[^0-9Xx]", "", value).upper()
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


def find(text: str) -> Iterator[Hit]:
    """Every piece of personal information in `text`, in order of appearance."""
    text = normalise(text)
    hits = _emails(text)
    for run in _RUN.finditer(text):
        hits += _numbers(run.group(), run.start())
    yield from sorted(hits, key=lambda hit: hit.start)


def _numbers(run: str, offset: int) -> list[Hit]:
    """The numbers made of whole groups of one run, longest first where two overlap."""
    groups = [(m.start(), m.end(), m.group().upper()) for m in _GROUP.finditer(run)]
    hits: list[Hit] = []
    taken_until = -1
    for i, (start, _, _) in enumerate(groups):
        if start < taken_until:
            continue
        found = None
        digits = ""
        for j in range(i, len(groups)):
            _, end, group = groups[j]
            digits += group
            if len(digits) > _LONGEST:
                break
            kind = _kind(digits)
            if kind:
                found = (kind, end)
        if found:
            kind, end = found
            hits.append(Hit(kind, run[start:end].replace("\0", ""), offset + start))
            taken_until = end
    return hits


_LENGTHS = {11, 13, 15, 16, 17, 18, 19}


def _kind(digits: str) -> str | None:
    if len(digits) not in _LENGTHS:
        return None
    if _ID_18.fullmatch(digits) and _valid_id_18(digits):
        return "id"
    if _ID_15.fullmatch(digits) and _valid_date("19" + digits[6:12]):
        return "id"
    if _MOBILE.fullmatch(digits):
        return "mobile"
    if _CARD.fullmatch(digits) and _luhn(digits):
        return "card"
    return None


def _emails(text: str) -> list[Hit]:
    found = []
    for match in _EMAIL_DOMAIN.finditer(text):
        name = _EMAIL_NAME.search(text, max(0, match.start() - 64), match.start())
        if name:
            found.append(Hit("email", name.group() + match.group(), name.start()))
    return found


def _valid_id_18(number: str) -> bool:
    if not _valid_date(number[6:14]):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def _valid_date(yyyymmdd: str) -> bool:
    try:
        born = datetime.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return born <= datetime.date.today()


def _luhn(number: str) -> bool:
    digits = [int(d) for d in re.sub(r"\D", "", number)]
    if not 16 <= len(digits) <= 19:
        return False
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0
