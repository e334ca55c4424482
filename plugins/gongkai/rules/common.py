"""Helpers shared by rules: dangling references and repeated values."""

from __future__ import annotations

import difflib
from typing import Callable, Hashable, Iterable, Iterator, Mapping, TypeVar

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


def find_cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Every cycle of a directed graph once, as ``[a, b, …, a]`` (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []
    for root in sorted(edges):
        if root in state:
            continue
        path, stack = [root], [iter(sorted(edges.get(root, ())))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(edges.get(nxt, ()))))
    return cycles
