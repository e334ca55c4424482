"""Numbers and addresses an editor has decided may be published (`data/privacy.yml`).

The build refuses personal information (see `gongkai.privacy`); an office's published
service mobile or a unit's working mailbox on a public webmail host is not personal, and
is listed here with the reason it may appear.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Position
from ..personal_info import Hit
from .fields import Entry, IsoDate, Record, Text, field
from .kind import Kind, one_schema


class AllowedValue(Record):
    value: Text = field("号码或邮箱", "照原样写出，例如 lcxinxike@163.com、13900000015")
    reason: Text = field("可以公开的理由", "例如：区政府办公室信息科对外公布的工作邮箱")


class ReviewedFile(Record):
    file: Text = field("附件", "仓库中的路径，照构建提示写出，例如 data/documents/2021/sfj-2021-3-附件.pdf")
    checked_by: Text = field("核对人", "人工核对其中没有个人信息的人员姓名或岗位")
    date: IsoDate = field("核对日期", "写作 YYYY-MM-DD")
    note: Text = field("核对结论", "例如：已人工核对，无个人信息", default="已人工核对，无个人信息")


class PrivacySettings(Entry):
    """个人信息保护设置（data/privacy.yml）。"""

    allowed: list[AllowedValue] = field(
        "允许公开的号码和邮箱", "单位对外公布的服务号码、工作邮箱等；个人的号码和邮箱不要写在这里", default_factory=list
    )
    reviewed: list[ReviewedFile] = field(
        "已人工核对的附件", "无法自动读取文字的附件（扫描件、图片、WPS 文件等）经人工核对没有个人信息后在此登记", default_factory=list
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



@dataclass(frozen=True)
class Unread:
    """An attachment, or part of one, whose text could not be checked automatically."""

    position: Position
    reason: str

KIND = Kind("privacy", "个人信息保护设置", "privacy", PrivacySettings,
            one_schema("privacy", PrivacySettings, "个人信息保护设置（data/privacy.yml）", "data/privacy.yml"), order=2, single=True)
