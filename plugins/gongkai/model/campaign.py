"""Clean-up campaigns (规范性文件清理): a named campaign whose outcomes the documents record."""

from __future__ import annotations

from .fields import Entry, Identifier, IsoDate, Text, field
from .kind import Kind, one_schema


class Campaign(Entry):
    """一次规范性文件清理活动。各文件的清理结论写在文件自己的 events 中（type: 清理）。"""

    title: Text = field("名称", "例如 2020年规范性文件集中清理")
    organizer: Identifier = field("组织单位", "组织清理的单位编号")
    date: IsoDate = field("结果公布日期")
    announcement: Identifier | None = field("公布文件", "公布清理结果的文件编号", default=None)
    description: str | None = field("说明", default=None)

KIND = Kind("campaigns", "清理活动", "campaigns", Campaign,
            one_schema("campaign", Campaign, "规范性文件清理（data/campaigns/）", "data/campaigns/*.yml"),
            order=20, page="documents/cleanups/{id}.md")
