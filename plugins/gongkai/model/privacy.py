"""Numbers and addresses an editor has decided may be published (`data/privacy.yml`).

The build refuses personal information (see `gongkai.privacy`); an office's published
service mobile or a unit's working mailbox on a public webmail host is not personal, and
is listed here with the reason it may appear.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Position
from ..privacy import Hit
from .fields import Entry, Record, Text, field


class AllowedValue(Record):
    value: Text = field("号码或邮箱", "照原样写出，例如 lcxinxike@163.com、13900000015")
    reason: Text = field("可以公开的理由", "例如：区政府办公室信息科对外公布的工作邮箱")


class PrivacySettings(Entry):
    """个人信息保护设置（data/privacy.yml）。"""

    allowed: list[AllowedValue] = field(
        "允许公开的号码和邮箱", "单位对外公布的服务号码、工作邮箱等；个人的号码和邮箱不要写在这里", default_factory=list
    )

    def is_published(self, path: tuple[str | int, ...]) -> bool:
        return False  # the list itself is not shown on the site


@dataclass(frozen=True)
class Found:
    """Personal information found in something the platform publishes."""

    position: Position
    label: str
    """The field or place, as editors read it: ``staff.第2项.phone（联系方式）``, 正文, 工作表 C5."""
    hit: Hit
    published: bool = True
    """False for a value the site does not show (a staff mobile without consent)."""

