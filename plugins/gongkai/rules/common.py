"""Helpers shared by rules: dangling references and repeated values."""

from __future__ import annotations

import difflib
from typing import Callable, Hashable, Iterable, Iterator, TypeVar

T = TypeVar("T")


def missing(kind: str, value: str, known: Iterable[str]) -> str:
    """“上级单位“sfju”不存在；是否想写“sfj”？” — the message for a dangling reference."""
    message = f"{kind}“{value}”不存在"
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.5)
    return message + (f"；是否想写“{close[0]}”？" if close else "")


def repeats(items: Iterable[T], key: Callable[[T], Hashable]) -> Iterator[tuple[int, T, int]]:
    """(index, item, index of its first occurrence) for every item whose key came before."""
    first: dict[Hashable, int] = {}
    for i, item in enumerate(items):
        k = key(item)
        if k is None:
            continue
        if k in first:
            yield i, item, first[k]
        else:
            first[k] = i
