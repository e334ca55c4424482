"""The home page's entrance: what a citizen comes for, made from what the platform holds.

The four statutory entries of the 政府信息公开 column and 依申请公开, the other sections that
have records (应急预案, 意见征集 …), the 重点领域 of the standard catalogs, the newest
规范性文件 with their 文号 and 有效性, the newest 政策解读, the units by type, and what changed
last. Rendered once per build (`Renderer.fragment`), below the hand-written introduction.
"""

from __future__ import annotations

from typing import Any

from ..model import Site
from ..model.domains import BY_ID
from ..model.kinds import KINDS

SHORT_LIST = 6


def home_context(site: Site, latest: int) -> dict[str, Any]:
    newest = site.documents_newest_first()
    government = next((u for u in site.units_in_order() if u.hosts_platform), None)
    return {
        "government": government,
        "sections": [(kind.name, kind.index, len(site.records_of(kind.attribute))) for kind in KINDS
                     if kind.index and site.records_of(kind.attribute)],
        "domains": [(BY_ID[id], standard) for id, standard in sorted(site.standards.items()) if id in BY_ID],
        "normative": [d for d in newest if d.is_normative and d.disclosure == "主动公开"][:SHORT_LIST],
        "interpretations": [d for d in newest if d.is_interpretation][:SHORT_LIST],
        "groups": site.units_by_type(),
        "latest": newest[:latest],
    }
