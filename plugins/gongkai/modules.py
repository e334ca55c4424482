"""Finding what a package's modules declare, so that nothing has to list them.

The kinds of record (`model`: `KIND`), their rules (`rules`: `RULES`) and their pages
(`pages`: `views`) are each found by importing every module of their package; a new kind is
its three modules, and no list elsewhere can forget it.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Iterator


def each_module(package: str) -> Iterator[ModuleType]:
    """Every module of `package` (a dotted name), imported, in name order."""
    path = importlib.import_module(package).__path__
    for module in sorted(pkgutil.iter_modules(path), key=lambda m: m.name):
        yield importlib.import_module(f"{package}.{module.name}")
