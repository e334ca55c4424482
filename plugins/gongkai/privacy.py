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

_EDGE_BEFORE = r"(?<![0-9A-Za-z])"
_EDGE_AFTER = r"(?![0-9A-Za-z])"

_ID_18 = re.compile(_EDGE_BEFORE + r"[1-9]\d{5}(?:18|19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx]" + _EDGE_AFTER)
_ID_15 = re.compile(_EDGE_BEFORE + r"[1-9]\d{7}[01]\d[0-3]\d\d{3}" + _EDGE_AFTER)
_MOBILE = re.compile(_EDGE_BEFORE + r"(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})" + _EDGE_AFTER)
_CARD = re.compile(_EDGE_BEFORE + r"[3-6]\d{3}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?" + _EDGE_AFTER)
# Found from the "@" out: a pattern that starts with a character class would be tried at
# every position of a long page.
_EMAIL_DOMAIN = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_EMAIL_NAME = re.compile(r"[A-Za-z0-9._%+-]+$")
# A run of at least 11 digits (spaces and hyphens allowed between them), not part of a word:
# where every kind of number lives. The look-behind sits after the first digit so that the
# search only stops at digits.
_DIGITS = re.compile(r"\d(?<![0-9A-Za-z]\d)(?:[ -]?\d){10,}[Xx]?(?![0-9A-Za-z])")

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


def canonical(value: str) -> str:
    if "@" in value:
        return value.strip().lower()
    digits = re.sub(r"[^0-9Xx]", "", value).upper()
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


def find(text: str) -> Iterator[Hit]:
    """Every piece of personal information in `text`, in order of appearance."""
    hits = _emails(text)
    for run in _DIGITS.finditer(text):
        hits += (Hit(h.kind, h.value, h.start + run.start()) for h in _numbers(run.group()))
    yield from sorted(hits, key=lambda hit: hit.start)


def _numbers(run: str) -> list[Hit]:
    ids = [Hit("id", m.group(), m.start()) for m in _ID_18.finditer(run) if _valid_id_18(m.group())]
    ids += (Hit("id", m.group(), m.start()) for m in _ID_15.finditer(run) if _valid_date("19" + m.group()[6:12]))
    taken = {hit.start for hit in ids}
    mobiles = [Hit("mobile", m.group(), m.start()) for m in _MOBILE.finditer(run)]
    cards = [Hit("card", m.group(), m.start()) for m in _CARD.finditer(run) if m.start() not in taken and _luhn(m.group())]
    return ids + mobiles + cards


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
