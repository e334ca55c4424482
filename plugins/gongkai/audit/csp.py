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
from pathlib import Path
from typing import Iterable

from .scan import scan_html


def script_hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def theme_scripts(per_page: Iterable[set[str]]) -> set[str]:
    """The inline scripts the theme puts on every page, by hash; any other is an editor's
    (the audit reports it, and the policy does not allow it)."""
    common: set[str] | None = None
    for hashes in per_page:
        if hashes:  # a page the theme did not make (the audit report) has none
            common = set(hashes) if common is None else common & hashes
    return common or set()


def site_script_hashes(site_dir: Path) -> list[str]:
    """The theme's inline scripts in a built site, by hash (the audit finds the same while it scans)."""
    pages = (scan_html(page.read_text(encoding="utf-8")) for page in site_dir.rglob("*.html"))
    return sorted(theme_scripts({script_hash(body) for body in page.inline_scripts} for page in pages))


def _directives(connect: Iterable[str]) -> dict[str, list[str]]:
    return {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'"],
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


def _text(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def policy(script_hashes: Iterable[str], connect: Iterable[str] = ()) -> str:
    directives = _directives(connect)
    directives["script-src"] += script_hashes
    return _text(directives)


def editor_policy(connect: Iterable[str], in_page: bool = False) -> str:
    """The web editor's own policy (/admin/, see `cms`): looser than the site's where Decap CMS
    needs it, and only there. It compiles its configuration's JSON Schema into functions (ajv:
    'unsafe-eval') and styles its widgets at run time (emotion: inline styles); it talks to the
    git host (`connect`), keeps uploads as blob: URLs until they are saved (and reads them back
    with fetch), previews them as blob: and data: images, and is never framed.
    `in_page`: the copy the page carries in a <meta> element, where frame-ancestors cannot be."""
    directives = _directives(connect)
    directives["script-src"].append("'unsafe-eval'")
    directives["style-src"].append("'unsafe-inline'")
    directives["img-src"].append("blob:")
    directives["font-src"].append("data:")
    directives["connect-src"].append("blob:")
    if in_page:
        del directives["frame-ancestors"]
    else:
        directives["frame-ancestors"] = ["'none'"]
    return _text(directives)


SECURITY_HEADERS = """\
# {said}
# 升级 mkdocs-material、修改 site_url 或多站点检索设置后请重新生成；tests/test_deploy.py 会检查它与演示站点是否一致。
add_header Content-Security-Policy "{policy}" always;
add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
add_header X-Content-Type-Options "nosniff" always;
add_header Referrer-Policy "strict-origin-when-cross-origin" always;
add_header X-Frame-Options "{frame}" always;
add_header Permissions-Policy "camera=(), microphone=(), geolocation=(), interest-cohort=()" always;
"""

SITE_HEADERS = "由 `gongkai headers site/` 生成：网站需要的内容安全策略及其他安全响应头（在 server 和带 add_header 的 location 中 include）。"
EDITOR_HEADERS = ("由 `gongkai headers --editor site/` 生成：网站编辑器（/admin/）自己的内容安全策略及其他安全响应头"
                  "（只在 location /admin/ 中 include；编辑器的程序需要的 'unsafe-eval' 等只放宽在这里）。")


def nginx_headers(policy_text: str, framed: bool = True) -> str:
    """The nginx snippet that sends the policy and the other security headers (`framed`: the
    site's own pages may frame the page; the editor is framed by none)."""
    said = SITE_HEADERS if framed else EDITOR_HEADERS
    return SECURITY_HEADERS.format(said=said, policy=policy_text, frame="SAMEORIGIN" if framed else "DENY")
