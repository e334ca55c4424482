"""A content-addressed cache under `.cache/gongkai/` beside mkdocs.yml: safe to delete, never committed.

An entry is named by the hash of everything its value is computed from, so it is never
stale, only unused; each file carries the hash of its own bytes, so an entry that was cut
short or altered is noticed, computed again and rewritten, never used. Writing is best
effort (a read-only checkout builds as before) and atomic (parallel builds share it).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

FOLDER = Path(".cache") / "gongkai"
BLOB = ".bin"


def digest(parts: Iterable[bytes | str], framed: bytes = b"") -> str:
    """The digest of `parts`, then of parts already `framed`."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))  # so that ("ab", "c") and ("a", "bc") differ
        hasher.update(data)
    hasher.update(framed)
    return hasher.hexdigest()


def framed(part: str) -> bytes:
    """A part as `digest` takes it in."""
    data = part.encode("utf-8")
    return len(data).to_bytes(8, "little") + data


class Cache:
    def __init__(self, project_root: Path | None):
        self.folder = project_root / FOLDER if project_root else None
        self.used: dict[str, set[str]] = {}  # the entries asked for, by kind

    def value(self, kind: str, inputs: Iterable[bytes | str], compute: Callable[[], Any]) -> Any:
        """The JSON value `compute()` gives for `inputs`, from the cache when it holds a sound copy."""
        return self.at(kind, digest(inputs), compute)[0]

    def blob(self, kind: str, key: str, compute: Callable[[], bytes]) -> bytes:
        """`value`, for bytes (kept as they are, after their digest)."""
        if self.folder is None:
            return compute()
        self.use(kind, key)
        path = self.folder / kind / f"{key}{BLOB}"
        found = read_sound_bytes(path)
        if found is None:
            found = compute()
            write_sound_bytes(path, [found])
        return found

    def use(self, kind: str, key: str) -> None:
        """Note that the entry is still wanted (`prune`), though it was not read: its value was at hand."""
        self.used.setdefault(kind, set()).add(key)

    def at(self, kind: str, key: str, compute: Callable[[], Any], still: Callable[[Any], bool] | None = None) -> tuple[Any, bool]:
        """`value`, for inputs whose digest is `key`; and whether it came from the cache. With `still`, a kept
        value is taken only when `still(value)` (it depends on more than `key` says, and that has not changed)."""
        if self.folder is None:
            return compute(), False
        self.use(kind, key)
        path = self.folder / kind / f"{key}.json"
        found = read_entry(path)
        if found is not None and (still is None or still(found[0])):
            return found[0], True
        value = compute()
        write_entry(path, value)
        return value, False

    def prune(self, kind: str, keep: set[str]) -> None:
        """Delete the entries of `kind` but those named in `keep` (the ones this build used)."""
        if self.folder is None or not (self.folder / kind).is_dir():
            return
        for entry in (self.folder / kind).iterdir():
            if entry.suffix in (".json", BLOB) and entry.stem not in keep:
                entry.unlink(missing_ok=True)


def read_entry(path: Path) -> tuple[Any] | None:
    """(value,) from a sound entry; None when there is none, or it is damaged."""
    payload = read_sound_bytes(path)
    if payload is None:
        return None
    try:
        return (json.loads(payload),)
    except ValueError:
        return None


def read_sound_bytes(path: Path) -> bytes | None:
    """The bytes written by `write_sound_bytes`; None when there are none, or they are not the bytes written."""
    try:
        check, _, payload = path.read_bytes().partition(b"\n")
    except OSError:
        return None
    return payload if check.decode("ascii", "replace") == hashlib.sha256(payload).hexdigest() else None


def write_entry(path: Path, value: Any) -> None:
    """Write `value` as a sound entry. A mapping is encoded entry by entry: the page cache's manifest of a
    shard of 100,000 documents is 112 MB of JSON, and encoded whole it took 550 MB more while it was written."""
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        write_members(path, value.items())
    else:
        write_sound_bytes(path, [_encode(value)])


def write_members(path: Path, members: Iterable[tuple[str, Any]]) -> None:
    """Write a JSON object of `members` as a sound entry, encoding them as they come."""
    write_sound_bytes(path, [b"{", *_members(iter(members)), b"}"])


def write_sound_bytes(path: Path, pieces: list[bytes]) -> None:
    """Write the bytes of `pieces`, after their digest, in place of `path` at once (best effort)."""
    check = hashlib.sha256()
    for piece in pieces:
        check.update(piece)
    write_at_once(path, [check.hexdigest().encode("ascii") + b"\n", *pieces])


def write_at_once(path: Path, pieces: list[bytes]) -> bool:
    """Write `pieces` as a new file in place of `path`, at once (best effort); whether it was written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as file:
            file.writelines(pieces)
    except OSError:
        return False
    try:
        os.replace(file.name, path)
    except OSError:
        Path(file.name).unlink(missing_ok=True)
        return False
    return True


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _members(items: Iterator[tuple[str, Any]], batch: int = 1000) -> Iterator[bytes]:
    """A JSON object's members as `json.dumps` writes them, `batch` to a piece, with the commas between
    (encoding them one by one took 0.8 seconds for the page cache's manifest of 16,000 pages)."""
    first = True
    while chunk := dict(islice(items, batch)):
        if not first:
            yield b","
        yield _encode(chunk)[1:-1]
        first = False


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes (OSError when it cannot be read)."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def tree_digests(folders: Iterable[Path]) -> list[str]:
    """The name and digest of every file below `folders` (compiled Python left out)."""
    parts = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                parts += [path.relative_to(folder).as_posix(), file_digest(path)]
    return parts


def stamp(path: str | os.PathLike) -> tuple[int, int, int] | None:
    """What changes whenever a file is rewritten or replaced (inode, size, modification time); None if it is not there.
    A hard link to a kept file has the kept file's stamp."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


class Stamps:
    """A note of what was read from each file of a folder, with the file's stamp (inode, size, modification time) when
    it was read: a file whose stamp is as noted need not be read again. A page linked in from the page cache keeps its
    stamp; reading the 30,000 files of a site to find most of them unchanged took seconds."""

    def __init__(self, folder: Path, note: Path | None, valid: Callable[[Any], bool]):
        found = read_entry(note) if note else None
        self._seen: dict = found[0] if found and isinstance(found[0], dict) else {}
        self.folder, self.note, self.valid = folder, note, valid
        self._folder = str(folder)
        self._now: dict[str, list] = {}

    def noted(self, name: str) -> Any:
        """What was read from the file when it was last the file it is (a valid value), or None."""
        at = list(stamp(os.path.join(self._folder, name)) or ())  # not a Path: 16,000 pages a build
        was = self._now.get(name) or self._seen.get(name)  # (noted now here, or by another process: `take`)
        value = was[1] if isinstance(was, list) and len(was) == 2 and was[0] == at and self.valid(was[1]) else None
        self._now[name] = [at, value]
        return value

    def read(self, name: str, value: Any) -> None:
        """What was read from the file now (after `noted`: its stamp is the one taken there, before the reading)."""
        self._now[name][1] = value

    def now(self, names: Iterable[str]) -> dict[str, list]:
        """What was noted of these files (each `noted`) now: [stamp, value]."""
        return {name: self._now[name] for name in names}

    def take(self, now: dict[str, list]) -> None:
        """What another process noted of some files (`now` there)."""
        self._now.update(now)

    def save(self) -> None:
        """Keep the note of the files asked about (the others are gone)."""
        if self.note and self._now != self._seen:
            write_entry(self.note, self._now)


def files_in(folder: Path, suffix: str = "") -> list[str]:
    """The paths (relative, with /) of the files under `folder` whose names end with `suffix`, sorted as text; folders
    reached by a link are not entered. (`Path.rglob` and a stat of each took 1–3 s for the 30,000 files of a site.)"""
    found: list[str] = []

    def scan(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    scan(entry.path, f"{prefix}{entry.name}/")
                elif entry.name.endswith(suffix) and entry.is_file():
                    found.append(prefix + entry.name)

    if folder.is_dir():
        scan(str(folder), "")
    return sorted(found)


def link(source: str | os.PathLike, target: str | os.PathLike, make_folder: Callable[[Path], None] | None = None) -> None:
    """Make `target` the file `source` is (a hard link: no copy), replacing it; copy across file systems.
    `make_folder` makes the target's folder when it is missing (by default with every folder above it).

    Links first and asks questions after: a site links tens of thousands of pages, and making the
    folder and removing the old file before each one cost seconds of system calls."""
    try:
        os.link(source, target)
        return
    except FileExistsError:
        os.unlink(target)
    except FileNotFoundError:  # the folder is new (or `source` is missing: the copy below says so)
        (make_folder or _make_folders)(Path(target).parent)
    except OSError:
        shutil.copyfile(source, target)
        return
    try:
        os.link(source, target)
    except OSError:  # (a folder gone meanwhile is not made again: the copy says it is missing)
        shutil.copyfile(source, target)


def _make_folders(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
