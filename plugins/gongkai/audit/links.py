"""Where a reference in a built page leads, and whether that is allowed.

The rules, from the IPv6 measurement (二级、三级链接 must stay on the site's own
dual-stack origin) and from the ban on third-party assets at view time:

* an asset (script, style, image, font …) from another host is an error;
* an IPv4 address anywhere in a URL is an error;
* a link to this site's own host written as an absolute URL is an error (it must be
  relative or root-relative), except `<link rel=canonical/alternate>`, which must be absolute;
* a link to another site is allowed and listed by host; over plain http:// it is a warning;
* a link inside the site must lead to a file that exists, and its #anchor to an element.
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from dataclasses import dataclass
from typing import Container
from urllib.parse import unquote, urlsplit

from .scan import Reference

SKIPPED_SCHEMES = {"mailto", "tel", "data", "blob", "about", "sms"}


@dataclass(frozen=True)
class BuiltSite:
    host: str
    """The host in site_url (empty when it is not set)."""
    root: str
    """The path in site_url, e.g. "/" or "/xxgk/"."""
    files: Container[str]
    """Every file in the built site, as paths relative to it."""


@dataclass(frozen=True)
class Verdict:
    severity: str | None = None
    """"error", "warning" or None (fine)."""
    message: str = ""
    kind: str = ""
    """What is wrong: ipv4, third-party, absolute, http, missing, outside, javascript."""
    host: str = ""
    """Another site's host, for the list of hosts to check for AAAA records."""
    target: str = ""
    """A file of this site the reference leads to."""
    fragment: str = ""


class Judge:
    """`judge` for the pages of one site, each verdict kept by what it depends on: most references of a page are those
    of every page (the navigation, the footer), which are then judged once rather than on each of 10,000 pages."""

    def __init__(self, site: BuiltSite):
        self.site = site
        self._verdicts: dict[tuple[str, bool, str, str], Verdict] = {}

    def __call__(self, url: str, loads: bool, where: str, page_path: str) -> Verdict:
        key = (url, loads, where, _seen_from(url, page_path))
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = judge(Reference(url, 0, loads, where), page_path, self.site)
        return verdict


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_UP = re.compile(r"(?:\.\./)*")


def _seen_from(url: str, page_path: str) -> str:
    """What of `page_path` the verdict on `url` depends on: nothing for an absolute URL; for a relative one the folder
    its leading `../` climb to (`../../units/` is the same place from every document's folder); the page itself
    for a reference within the page, or any URL not plainly one of those."""
    url = url.strip()
    scheme = _SCHEME.match(url)
    if url.startswith("/") or (scheme and url[scheme.end():].startswith("//")):
        return ""
    if scheme:
        return "" if scheme[0].lower() not in ("http:", "https:") else page_path  # `http:x` is relative to the page
    if not url or url[0] in "#?":
        return page_path
    up = _UP.match(url).end() // 3  # type: ignore[union-attr]
    folders = page_path.split("/")[:-1]
    return "/".join(folders[:len(folders) - up]) if up <= len(folders) else page_path


def judge(reference: Reference, page_path: str, site: BuiltSite) -> Verdict:
    url = reference.url.strip()
    if not url or url.startswith("{"):
        return Verdict()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "javascript":
        return Verdict("error", f"{reference.where} 使用了 javascript: 地址；请改为按钮或普通链接", "javascript")
    if scheme in SKIPPED_SCHEMES or (scheme and scheme not in ("http", "https")):
        return Verdict()
    host = (parts.hostname or "").lower()
    if host and is_ipv4(host) and host != site.host:  # the site's own address is judged once (audit.run)
        return Verdict("error", f"{reference.where} 中的网址“{url}”使用了 IPv4 地址；请使用域名（IPv6 用户无法访问 IPv4 地址）", "ipv4")
    if parts.netloc:
        return _external(reference, url, scheme, host, site)
    return _internal(parts.path, parts.fragment, page_path, site)


def _external(reference: Reference, url: str, scheme: str, host: str, site: BuiltSite) -> Verdict:
    if host == site.host:
        if reference.where == "link href" and not reference.loads:  # canonical, alternate: absolute by definition
            return Verdict()
        return Verdict("error", f"{reference.where} 中的站内链接“{url}”写成了完整网址；站内链接应使用相对地址，"
                                "才能让各级页面都留在本站的 IPv4/IPv6 双栈地址上", "absolute")
    if reference.loads:
        return Verdict("error", f"{reference.where} 从第三方网站加载“{url}”；页面所需的脚本、样式、图片和字体都应放在本站",
                       "third-party", host=host)
    if scheme == "http":
        return Verdict("warning", f"外部链接“{url}”使用 http://；请改用 https://（如对方网站支持）", "http", host=host)
    return Verdict(host=host)


def _internal(path: str, fragment: str, page_path: str, site: BuiltSite) -> Verdict:
    path = unquote(path)
    if not path:
        return Verdict(target=page_path, fragment=unquote(fragment))
    if path.startswith("/"):
        if not path.startswith(site.root):
            return Verdict("error", f"站内链接“{path}”不在本站路径 {site.root} 之下", "outside")
        joined = path[len(site.root):]
    else:
        joined = posixpath.join(posixpath.dirname(page_path), path)
    target = posixpath.normpath(joined) if joined else "."
    if target.startswith(".."):
        return Verdict("error", f"站内链接“{path}”超出了网站的根目录", "outside")
    if path.endswith("/") or target == ".":
        target = posixpath.join(target, "index.html") if target != "." else "index.html"
    if target not in site.files:
        if posixpath.join(target, "index.html") in site.files:
            target = posixpath.join(target, "index.html")
        else:
            return Verdict("error", f"链接“{path}”指向的页面或文件不存在", "missing")
    return Verdict(target=target, fragment=unquote(fragment))


def is_ipv4(host: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(host), ipaddress.IPv4Address)
    except ValueError:
        return False
