"""The 26 pilot domains of 基层政务公开标准化规范化 (国办发〔2017〕42号, 国办发〔2019〕54号).

Each domain has a short id (pinyin initials) used in file names and URLs, its name and
the State Council department that issued its standard guideline.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    issuer: str
    number: int


DOMAINS: tuple[Domain, ...] = tuple(
    Domain(id, name, issuer, n)
    for n, (id, name, issuer) in enumerate(
        [
            ("zdjsxm", "重大建设项目", "国家发展改革委"),
            ("ggzyjy", "公共资源交易", "国家发展改革委"),
            ("czyjs", "财政预决算", "财政部"),
            ("aqsc", "安全生产", "应急管理部"),
            ("jz", "救灾", "应急管理部"),
            ("ssgl", "税收管理", "税务总局"),
            ("zdbc", "征地补偿", "自然资源部"),
            ("cxgh", "城乡规划", "自然资源部"),
            ("fwzs", "国有土地上房屋征收与补偿", "住房城乡建设部"),
            ("bzxzf", "保障性住房", "住房城乡建设部"),
            ("ncwfgz", "农村危房改造", "住房城乡建设部"),
            ("szfw", "市政服务", "住房城乡建设部"),
            ("cszhzf", "城市综合执法", "住房城乡建设部"),
            ("sthj", "生态环境", "生态环境部"),
            ("ggwhfw", "公共文化服务", "文化和旅游部"),
            ("ggflfw", "公共法律服务", "司法部"),
            ("fp", "扶贫", "国务院扶贫办"),
            ("shjz", "社会救助", "民政部"),
            ("ylfw", "养老服务", "民政部"),
            ("hjgl", "户籍管理", "公安部"),
            ("snbt", "涉农补贴", "财政部、农业农村部"),
            ("jy", "就业", "人力资源社会保障部"),
            ("shbx", "社会保险", "人力资源社会保障部"),
            ("spypjg", "食品药品监管", "市场监管总局、国家药监局"),
            ("ywjy", "义务教育", "教育部"),
            ("wsjk", "卫生健康", "国家卫生健康委"),
        ],
        start=1,
    )
)

BY_ID: dict[str, Domain] = {d.id: d for d in DOMAINS}


def catalog_title(unit_name: str, domain_id: str) -> str:
    """“泉州市鲤城区海滨街道办事处户籍管理领域基层政务公开标准目录”."""
    return f"{unit_name}{BY_ID[domain_id].name}领域基层政务公开标准目录"
