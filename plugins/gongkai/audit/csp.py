"""The Content-Security-Policy a built site needs, and nothing more.

Scripts and styles come from the site itself. The only inline scripts are mkdocs-material's
two small bootstrap scripts; they are the same on every page (the plugin fixes
`extra.scope`), so the policy allows exactly those by their SHA-256 hashes, and any other
inline script — one an editor pasted into a page, say — is blocked. Pagefind needs
WebAssembly (`'wasm-unsafe-eval'`) and a worker; a merged index is fetched from its origin.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Iterable

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_NOT_RUN = re.compile(r"""\btype\s*=\s*["']?(application/(ld\+)?json|text/template)""", re.I)


def inline_scripts(html: str) -> Iterable[str]:
    """The bodies of the inline scripts a browser would run."""
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match["attrs"] or ""
        if "src=" in attrs.replace(" ", "") or _NOT_RUN.search(attrs):
            continue
        yield match["body"]


def script_hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def site_script_hashes(site_dir: Path) -> list[str]:
    hashes = {script_hash(body) for page in site_dir.rglob("*.html") for body in inline_scripts(page.read_text(encoding="utf-8"))}
    return sorted(hashes)


def policy(script_hashes: Iterable[str], connect: Iterable[str] = ()) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'", *script_hashes],
        "worker-src": ["'self'", "blob:"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", *connect],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())
