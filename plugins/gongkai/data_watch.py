"""How `mkdocs serve` learns that a record was saved: from the kernel where it can, by polling elsewhere.

MkDocs polls what it watches every half second, to see changes on shared folders too (Docker
Desktop, WSL's Windows drives, network drives), where the kernel is not told of them. A
platform's data/ holds one file per record: polling 10,000 of them kept a quarter of a core busy
and slowed every rebuild by about a sixth, since the polling thread takes turns with the build's.
On a local disk of Linux data/ is watched through inotify instead; elsewhere, or when the kernel
refuses more watches, it is polled as MkDocs does.
"""

from __future__ import annotations

import os
import re
from functools import partial
from typing import Callable

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.api import BaseObserver

LOCAL_FILE_SYSTEMS = {"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "overlay", "zfs", "f2fs", "bcachefs", "jfs"}
CHANGES: list[type[FileSystemEvent]] = [FileCreatedEvent, FileModifiedEvent, FileMovedEvent, FileDeletedEvent,
                                        DirCreatedEvent, DirMovedEvent, DirDeletedEvent]
"""What asks for a rebuild: not a file opened or read (the build reads data/, and MkDocs rebuilds on any event but a folder's)."""


def watch_data(server: LiveReloadServer, data_dir: str, changed: Callable[[str], None] | None = None) -> BaseObserver:
    """Rebuild when a file under `data_dir` is written, moved or deleted; returns the observer that watches it.
    `changed` is told the path of each file written, moved (both paths) or deleted."""
    observer = _watch(server, data_dir)
    if changed is not None:
        observer.schedule(_Noting(changed), os.path.abspath(data_dir), recursive=True)
    return observer


class _Noting(FileSystemEventHandler):
    def __init__(self, changed: Callable[[str], None]):
        self.changed = changed

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not event.is_directory and type(event) in CHANGES:
            for path in (event.src_path, getattr(event, "dest_path", "")):
                if path:
                    self.changed(os.fsdecode(path))


def _watch(server: LiveReloadServer, data_dir: str) -> BaseObserver:
    native = _native_observer(data_dir)
    if native is not None:
        polling, server.observer = server.observer, native  # type: ignore[assignment]
        try:
            server.watch(data_dir)  # MkDocs' own handler: a change asks for a rebuild as any other does
            native.start()
        except OSError:  # out of inotify watches
            server._watched_paths.pop(os.path.abspath(data_dir), None)
            native = None
        finally:
            server.observer = polling
    if native is None:
        server.watch(data_dir)
        return server.observer
    original_shutdown = server.shutdown

    def shutdown(wait: bool = False) -> None:
        native.stop()
        original_shutdown(wait)

    server.shutdown = shutdown  # type: ignore[method-assign]
    return native


def _native_observer(folder: str) -> BaseObserver | None:
    """An inotify observer told of `CHANGES` only, if `folder` is on a local file system of Linux."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8") as mounts:
            kind = file_system_of(os.path.realpath(folder), mounts.read())
        from watchdog.observers.inotify import InotifyObserver
    except Exception:  # not Linux: no mountinfo, or no inotify in its C library (watchdog's UnsupportedLibcError)
        return None
    if kind not in LOCAL_FILE_SYSTEMS:
        return None
    observer = InotifyObserver()
    observer.schedule = partial(observer.schedule, event_filter=CHANGES)  # type: ignore[method-assign]
    return observer


def file_system_of(path: str, mountinfo: str) -> str:
    """The type of the file system `path` is on, by the innermost mount of it in `mountinfo` (proc(5))."""
    best, kind = "", ""
    for line in mountinfo.splitlines():
        fields = line.split()
        if "-" not in fields:
            continue
        point = re.sub(r"\\([0-7]{3})", lambda escape: chr(int(escape[1], 8)), fields[4])  # a space is written \040
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[fields.index("-") + 1]
    return kind
