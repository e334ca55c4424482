"""What reading each data file gave, kept on disk between builds (`.cache/gongkai/records.pickle`).

A build in a new process otherwise parses and validates all of `data/` again: at 10,000
documents that is most of the time before the first page. The outcomes (records, findings)
are Python objects, so they are kept with pickle, and loading a pickle runs whatever it
says. The file is therefore signed with a key kept outside the checkout (in the user's
cache folder, readable by the user alone): a `.cache/` committed to the repository, or
written by anyone else, is never unpickled. The file is also bound to our code, the
versions of what validates, Python's and today's date (the one thing a read looks at
besides the bytes: whether an ID number's birth date has passed).
"""

from __future__ import annotations

import datetime
import gc
import hashlib
import hmac
import os
import pickle
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ..cache import FOLDER, digest, tree_digests, write_atomically

FILE = "records.pickle"
KEY_FILE = "memo-key"
PACKAGES = ("pydantic", "pydantic-core", "pyyaml")


def restore(project_root: Path) -> dict[tuple, Any]:
    """The outcomes kept by the last build made by this code today; empty when there are none, or they are not ours."""
    key = _key(create=False)
    try:
        raw = (project_root / FOLDER / FILE).read_bytes()
    except OSError:
        return {}
    signature, _, payload = raw.partition(b"\n")
    if key is None or not hmac.compare_digest(signature, _sign(key, payload)):
        return {}
    gc.disable()  # a hundred thousand small objects, none in a cycle: collecting while loading triples the time
    try:
        found = pickle.loads(payload)
    except Exception:  # an older or damaged file: read the data again
        return {}
    finally:
        gc.enable()
    return found["outcomes"] if isinstance(found, dict) and found.get("stamp") == _stamp() else {}


def keep(project_root: Path, outcomes: dict[tuple, Any]) -> None:
    """Keep `outcomes` for the next build (best effort: a read-only checkout builds as before)."""
    key = _key(create=True)
    if key is not None:
        payload = pickle.dumps({"stamp": _stamp(), "outcomes": outcomes}, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomically(project_root / FOLDER / FILE, _sign(key, payload) + b"\n" + payload)


def _sign(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).hexdigest().encode("ascii")


def _stamp() -> str:
    code = tree_digests([Path(__file__).parent.parent])
    return digest([sys.version, datetime.date.today().isoformat(), *(version(p) for p in PACKAGES), *code])


def _key(create: bool) -> bytes | None:
    """This user's signing key (made when `create`d); None when there is none, or it is not the user's alone."""
    path = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gongkai" / KEY_FILE
    try:
        key = path.read_bytes()
        if len(key) == 32 and path.stat().st_mode & 0o077 == 0:
            return key
    except OSError:
        pass
    if not create:
        return None
    key, fresh = os.urandom(32), path.with_name(f".{KEY_FILE}-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
            file.write(key)
        os.replace(fresh, path)
    except OSError:
        fresh.unlink(missing_ok=True)
        return None
    return key
