"""What a generated page is made of: the values it was given and the records its templates read.

A view carries most of what its page shows (`View.context`), and its fingerprint covers that.
Templates also look records up by id (`site.units[doc.issuer]`, `register.status[doc.id]`):
those reads are recorded while the page renders, by handing the templates `site` and
`register` behind `Traced` proxies. A page is then made from its view plus the values at the
recorded places, and a later build can tell whether any of them changed by looking up the
same places again (`Fingerprints.of_read`), without rendering. Recording rather than
declaring by hand: a template that starts reading another record cannot be forgotten.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Mapping
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

from .view import Made

ALL = "*"
"""The key of a read of a whole collection or object (iterated, counted, or a method called)."""

Read = tuple[str, Any]  # (path such as "site.units", key or ALL)

_recording: list[set[Read]] = []


@contextmanager
def recording() -> Iterator[set[Read]]:
    """Collect the reads made through `Traced` objects inside the block."""
    reads: set[Read] = set()
    _recording.append(reads)
    try:
        yield reads
    finally:
        _recording.pop()


def note(path: str, key: Any = ALL) -> None:
    if _recording:
        _recording[-1].add((path, key if isinstance(key, (str, int)) and not isinstance(key, bool) else ALL))


class Traced:
    """An object whose attribute reads are noted: a mapping attribute by the keys read from it."""

    __slots__ = ("_target", "_path")

    def __init__(self, target: Any, path: str):
        self._target = target
        self._path = path

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        path = f"{self._path}.{name}"
        if isinstance(value, Mapping):
            return TracedMapping(value, path)
        note(path)
        return value


class TracedMapping(Mapping):
    """A mapping whose lookups are noted by key; anything that sees every key notes the whole."""

    __slots__ = ("_target", "_path")

    def __init__(self, target: Mapping, path: str):
        self._target = target
        self._path = path

    def __getitem__(self, key: Any) -> Any:
        note(self._path, key)
        return self._target[key]

    def __contains__(self, key: object) -> bool:
        note(self._path, key)
        return key in self._target

    def get(self, key: Any, default: Any = None) -> Any:
        note(self._path, key)
        return self._target.get(key, default)

    def __iter__(self) -> Iterator:
        note(self._path)
        return iter(self._target)

    def __len__(self) -> int:
        note(self._path)
        return len(self._target)

    def keys(self) -> Any:
        note(self._path)
        return self._target.keys()

    def values(self) -> Any:
        note(self._path)
        return self._target.values()

    def items(self) -> Any:
        note(self._path)
        return self._target.items()


class Unfingerprintable(TypeError):
    """A value of a type whose content cannot be told (a page showing it is always rendered)."""


_MISSING = "\0missing"


def _frozen(value: Any) -> bool:
    return isinstance(value, BaseModel) and bool(value.model_config.get("frozen"))


class Fingerprints:
    """Digests of values for one build. Records are digested once (many pages show the same)."""

    def __init__(self, roots: dict[str, Any], before: Fingerprints | None = None):
        """`before`: the last build's, in the same process (`mkdocs serve`): records whose file did not
        change are the same frozen objects again (`load.Loader.read`), and their digests hold."""
        self.roots = roots  # {"site": site, "register": register}: where read paths start
        self._memo: dict[int, tuple[Any, str, list[str]]] = {}  # (value, digest, as JSON takes it)
        self._before = {key: known for key, known in before._memo.items() if _frozen(known[0])} if before else {}
        self._json = json.JSONEncoder(ensure_ascii=False, default=self._other)
        self._reads: dict[Read, str] = {}

    def of(self, value: Any) -> str:
        return hashlib.sha256(self._text(value).encode("utf-8", "surrogatepass")).hexdigest()

    def of_read(self, read: Read) -> str:
        """The digest of what is at `read` now (a missing key has a digest of its own)."""
        found = self._reads.get(read)
        if found is None:
            found = self._reads[read] = self.of(self._resolve(*read))
        return found

    def _resolve(self, path: str, key: Any) -> Any:
        root, *names = path.split(".")
        value = self.roots[root]
        for name in names:
            value = getattr(value, name, _MISSING)
        if callable(value) and not isinstance(value, Mapping):
            return [self.roots[name] for name in sorted(self.roots)]  # a method may read anything
        if key == ALL:
            return value
        return value.get(key, _MISSING) if isinstance(value, Mapping) else _MISSING

    def _text(self, value: Any) -> str:
        """`value` as text that differs whenever the value does: JSON (its encoder is in C) for the
        plain lists, dicts, strings and numbers views are mostly made of; records by their digest."""
        try:
            return self._json.encode(value)
        except Unfingerprintable:
            raise
        except ValueError:  # a circular reference
            raise Unfingerprintable(type(value).__name__) from None
        except TypeError:  # a key JSON cannot take (a date): the same value spelled out by hand
            return self._spelled(value)

    def _other(self, value: Any) -> Any:
        """What JSON has no form of."""
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:  # a record shown on many pages: digested already
            return known[2]
        if isinstance(value, Traced | TracedMapping):
            return value._target
        if isinstance(value, Made):  # known by how it is made: that code is in every page's key already
            return ["\0made", f"{value.make.__module__}.{value.make.__qualname__}", self._text(value.args)]
        if isinstance(value, (BaseModel, Mapping)) or dataclasses.is_dataclass(value):
            return self._memoised(value)
        if isinstance(value, (datetime.date, Decimal, Path)):
            return [f"\0{type(value).__name__}", str(value)]
        if isinstance(value, (set, frozenset)):
            return ["\0set", sorted(self._text(v) for v in value)]
        if isinstance(value, bytes):
            return ["\0bytes", hashlib.sha256(value).hexdigest()]
        if isinstance(value, type):  # a record kind's model: its code is in every page's key already
            return ["\0type", f"{value.__module__}.{value.__qualname__}"]
        raise Unfingerprintable(type(value).__name__)

    def _spelled(self, value: Any) -> str:
        if isinstance(value, Traced | TracedMapping):
            return self._spelled(value._target)
        if value is None or isinstance(value, (bool, int, float, Decimal, str, datetime.date, Path)):
            text = str(value)  # with its length: ["a,str:b"] and ["a", "b"] must differ
            return f"{type(value).__name__}{len(text)}:{text}"
        if isinstance(value, (list, tuple)):
            return "[" + ",".join(self._spelled(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ",".join(f"{self._spelled(k)}:{self._spelled(v)}" for k, v in value.items()) + "}"
        return self._spelled(self._other(value))

    def _memoised(self, value: Any) -> list[str]:
        """Records, mappings and dataclasses by the digest of their content, once per object."""
        found = self._memo.get(id(value))
        if found is None or found[0] is not value:
            known = self._before.get(id(value))
            if known is not None and known[0] is value:
                found = self._memo[id(value)] = known
            else:  # kept with `value`, which keeps its id from being another object's
                sha = self.of(self._content(value))
                found = self._memo[id(value)] = (value, sha, ["\0", f"{type(value).__name__}#{sha}"])
        return found[2]

    def _content(self, value: Any) -> Any:
        if isinstance(value, BaseModel):
            extra = {k: v for k, v in value.__dict__.items() if k.startswith("gk_") and k != "gk_source"}
            return [value.model_dump_json(warnings=False), sorted((k, str(v)) for k, v in extra.items())]
        if isinstance(value, Mapping):
            return [[k, v] for k, v in value.items()]
        return [type(value).__name__, [getattr(value, f.name) for f in dataclasses.fields(value)]]
