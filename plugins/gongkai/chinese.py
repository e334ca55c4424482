"""Chinese numerals and dates as official documents write them."""

from __future__ import annotations

import datetime

_DIGITS = "零一二三四五六七八九"


def number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十; from 100 on, Arabic digits (lists are never that long)."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def item(n: int) -> str:
    """The official item marker: 1 → （一）."""
    return f"（{number(n)}）"


def date(value: datetime.date | None) -> str:
    """2020-08-20 → 2020年8月20日."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""
