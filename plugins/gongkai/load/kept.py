"""What reading each data file gave, kept between builds under `.cache/gongkai/records/`.

`Loader.read` keeps in the process what each file's bytes gave, so the rebuilds of `mkdocs serve`
read again only the files that changed. Each `mkdocs build` is a new process: after a one-line edit
it parsed and validated every file again (10,724 at 10,000 documents: 5–7 s of a 27-second build).
So the outcomes are kept on disk too, dealt into `BUCKETS` files by a hash of the data file's path:
a build rewrites only the files whose outcomes changed, when it is over (`save_noted`).

A file is used only when it was written by the same code (the package's sources, Python's and
pydantic's versions) and its bytes are those written (`cache.read_sound_bytes`). It is a pickle read
by an unpickler that makes nothing but the classes records are made of: a planted file can make a
record, as a planted data file can, but names no function to run.
"""

from __future__ import annotations

import contextlib
import io
import logging
import pickle
import sys
import zlib
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .. import memory
from ..cache import FOLDER, digest, read_sound_bytes, tree_digests, write_sound_bytes

KIND = "records"
BUCKETS = 64
_ALLOWED = {
    "datetime": {"date", "datetime", "time", "timedelta"},
    "decimal": {"Decimal"},
    "pathlib": {"PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"},
}
_RECORD_MODULES = {"gongkai.load", "gongkai.findings", "gongkai.personal_info"}  # and the models: any class of theirs
_on_disk: dict[Path, list[frozenset]] = {}
"""By folder: the keys each of its files holds, as read or written by this process."""
_code: list[str] = []
_noted: list[tuple[Path, dict]] = []

log = logging.getLogger("mkdocs.plugins.gongkai")


def restore(project_root: Path, into: dict) -> None:
    """Add the outcomes kept under `project_root` to `into` (once a process: then it holds them itself)."""
    folder = project_root / FOLDER / KIND
    if folder in _on_disk:
        return
    held: list[frozenset] = [frozenset()] * BUCKETS
    with memory.collection_paused():  # a collection every few hundred objects made it 4 times as long
        for n in range(BUCKETS):
            outcomes = _read(folder / f"{n:02d}.pickle")
            for key, outcome in outcomes.items():
                into.setdefault(key, outcome)
            held[n] = frozenset(outcomes)
    _on_disk[folder] = held


def note(project_root: Path, outcomes: dict) -> None:
    """Note what the last load read, to be kept when the process is done building (`save_noted`)."""
    _noted[:] = [(project_root, dict(outcomes))]


def save_noted() -> None:
    """Keep what the last load read. Called when the build is over: pickling a string keeps a UTF-8 copy of it
    with it (CPython's), 170 MB at 100,000 documents, which would otherwise be held through the whole build. Without the
    cycle collector: pickling makes no cycles, and a collection then walked every object of the build (3 s at 100,000)."""
    with memory.collection_paused():
        for project_root, outcomes in _noted:
            save(project_root, outcomes)
    _noted.clear()


def save(project_root: Path, outcomes: dict) -> None:
    """Keep `outcomes` in place of what is kept, rewriting only the files that differ."""
    folder = project_root / FOLDER / KIND
    held = _on_disk.get(folder, [frozenset()] * BUCKETS)
    now: list[set] = [set() for _ in range(BUCKETS)]
    for key in outcomes:
        now[bucket(key[0])].add(key)
    for n, keys in enumerate(now):
        if keys == held[n]:
            continue
        path = folder / f"{n:02d}.pickle"
        if keys:
            payload = pickle.dumps({key: outcomes[key] for key in keys}, protocol=pickle.HIGHEST_PROTOCOL)
            write_sound_bytes(path, [code_digest().encode("ascii"), b"\n", payload])
        else:
            with contextlib.suppress(OSError):  # a read-only checkout builds without keeping
                path.unlink(missing_ok=True)
    _on_disk[folder] = [frozenset(keys) for keys in now]


def bucket(path: Path) -> int:
    return zlib.crc32(str(path).encode("utf-8", "surrogateescape")) % BUCKETS


def code_digest() -> str:
    """What the outcomes depend on besides the files' bytes: the code that reads them and makes the records."""
    if not _code:
        package = Path(__file__).resolve().parent.parent
        _code.append(digest([sys.version, version("pydantic"), version("pydantic-core"), *tree_digests([package])]))
    return _code[0]


def _read(path: Path) -> dict:
    written = read_sound_bytes(path)
    if written is None:
        return {}
    code, _, payload = written.partition(b"\n")
    if code != code_digest().encode("ascii"):
        return {}
    try:
        outcomes = _Records(io.BytesIO(payload)).load()
    except Exception as error:  # noqa: BLE001 (whatever a damaged or planted file raises, its files are read again)
        log.debug("gongkai: %s 不可用（%s），重新读取其中的数据文件", path, error)
        return {}
    return outcomes if isinstance(outcomes, dict) and all(isinstance(key, tuple) for key in outcomes) else {}


class _Records(pickle.Unpickler):
    """Makes only the classes of records and what the loader notes of them, and the few standard ones they hold:
    no function is ever named."""

    def find_class(self, module: str, name: str) -> Any:
        if name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        if module in _RECORD_MODULES or module.startswith("gongkai.model."):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name}")
