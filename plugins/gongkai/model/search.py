"""Search settings editors keep in `data/search.yml`: words that should find each other."""

from __future__ import annotations

from typing import Annotated

from annotated_types import Len

from .fields import Entry, Text, field
from .kind import Kind, one_schema


class SearchSettings(Entry):
    """检索设置（data/search.yml）。"""

    synonyms: list[Annotated[list[Text], Len(2)]] = field(
        "同义词",
        "每组写两个以上可以互相检索到的词，例如 [最低生活保障, 低保]；常见错别字也可以写进来，例如 [最低生活保障, 最底生活保障]",
        default_factory=list,
    )

KIND = Kind("search", "检索设置", "search", SearchSettings,
            one_schema("search", SearchSettings, "检索设置（data/search.yml）", "data/search.yml"), order=1, single=True)
