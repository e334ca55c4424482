"""No personal information on the site: what the loader found must be allowed, or go.

Allowed without being listed: a unit's or the platform's own mailbox (`email` in
`data/units/*.yml` and `data/site.yml`), any mailbox on a government domain (…gov.cn),
and a staff member's mobile the unit published with consent (`phone_public: true`).
Anything else needs an entry with a reason in `data/privacy.yml`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ..findings import Finding, error, warning
from ..model import Site
from ..personal_info import Hit, canonical

PRIVACY_FILE = "privacy.yml"


@dataclass
class Allowed:
    values: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, site: Site | None) -> "Allowed":
        if site is None:
            return cls()
        values = {canonical(item.value) for item in site.privacy.allowed} if site.privacy else set()
        mailboxes = [site.info.email if site.info else None, *(unit.email for unit in site.units.values())]
        values.update(canonical(m) for m in mailboxes if m)
        values.update(canonical(p.phone) for unit in site.units.values() for p in unit.staff if p.phone_public and p.phone)
        return cls(values)

    def allows(self, hit: Hit) -> bool:
        if hit.key in self.values:
            return True
        return hit.kind == "email" and (hit.key.endswith(".gov.cn") or hit.key.endswith("@gov.cn"))


def message(hit: Hit) -> str:
    return (
        f"含有{hit.label}“{hit.masked}”。个人信息不得公开：请删除或隐去部分号码；"
        f"如确为单位对外公布的号码或邮箱，请写入 data/{PRIVACY_FILE} 的 allowed 并说明理由"
    )


def personal_data(site: Site) -> Iterator[Finding]:
    allowed = Allowed.of(site)
    for found in site.personal:
        if found.published and not allowed.allows(found.hit):
            yield error(found.position, message(found.hit), found.label)


def unused_allowances(site: Site) -> Iterable[Finding]:
    """An entry that matches nothing published is stale (or mistyped: then the real value is reported too)."""
    if site.privacy is None:
        return []
    seen = {found.hit.key for found in site.personal if found.published}
    return [
        warning(site.privacy.at("allowed", i, "value"), f"“{item.value}”没有出现在任何公开内容中，可以删除此项", "allowed（允许公开）")
        for i, item in enumerate(site.privacy.allowed)
        if canonical(item.value) not in seen
    ]


def unchecked_attachments(site: Site) -> Iterator[Finding]:
    """What could not be read automatically is checked by a person, who says so in privacy.yml."""
    reviewed = {item.file for item in site.privacy.reviewed} if site.privacy else set()
    for unread in site.unread:
        if unread.position.file not in reviewed:
            yield warning(unread.position, f"{unread.reason}：无法自动检查其中是否有个人信息。请人工核对，确认无误后在 data/{PRIVACY_FILE} 的 "
                                           f"reviewed 中登记（file: {unread.position.file}、checked_by: 核对人、date: 核对日期）")


def unused_reviews(site: Site) -> Iterable[Finding]:
    if site.privacy is None:
        return []
    unread = {unread.position.file for unread in site.unread}
    return [warning(site.privacy.at("reviewed", i, "file"), f"“{item.file}”不是需要人工核对的附件（文件不存在或可以自动检查），可以删除此项",
                    "reviewed（已人工核对的附件）")
            for i, item in enumerate(site.privacy.reviewed) if item.file not in unread]


RULES = [personal_data, unused_allowances, unchecked_attachments, unused_reviews]
