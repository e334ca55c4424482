"""Split a long list over several pages: …/index.md, …/2.md, …/3.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Pager:
    number: int
    pages: tuple[str, ...]
    """src_uri of every page of the list, in order."""
    total: int
    first_item: int
    """1-based position of this page's first item in the whole list."""

    @property
    def previous(self) -> str | None:
        return self.pages[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.pages[self.number] if self.number < len(self.pages) else None


def paginate(items: Sequence[T], per_page: int, page_uri: Callable[[int], str]) -> Iterator[tuple[str, Sequence[T], Pager]]:
    count = max(1, -(-len(items) // per_page))
    uris = tuple(page_uri(n) for n in range(1, count + 1))
    for n, uri in enumerate(uris, start=1):
        start = (n - 1) * per_page
        yield uri, items[start : start + per_page], Pager(n, uris, len(items), start + 1)
