"""The categories of information that must be proactively disclosed (条例 第二十条、第二十一条).

Editors name a category by its short key (``category: 应急预案``); pages show the
statutory wording. Each category also has a four-digit code used in 索引号 and URLs.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import chinese


@dataclass(frozen=True)
class Category:
    key: str
    article: int
    item: int
    title: str

    @property
    def code(self) -> str:
        return f"{self.article:02d}{self.item:02d}"

    @property
    def label(self) -> str:
        """“第二十条第（十二）项” — how the statute is cited."""
        return f"第{chinese.number(self.article)}条第{chinese.item(self.item)}项"


CATEGORIES: tuple[Category, ...] = (
    Category("规章和规范性文件", 20, 1, "行政法规、规章和规范性文件"),
    Category("机构职能", 20, 2, "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"),
    Category("规划", 20, 3, "国民经济和社会发展规划、专项规划、区域规划及相关政策"),
    Category("统计信息", 20, 4, "国民经济和社会发展统计信息"),
    Category("行政许可", 20, 5, "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"),
    Category("行政处罚和强制", 20, 6, "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定"),
    Category("财政预决算", 20, 7, "财政预算、决算信息"),
    Category("行政事业性收费", 20, 8, "行政事业性收费项目及其依据、标准"),
    Category("政府集中采购", 20, 9, "政府集中采购项目的目录、标准及实施情况"),
    Category("重大建设项目", 20, 10, "重大建设项目的批准和实施情况"),
    Category("民生政策", 20, 11, "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"),
    Category("应急预案", 20, 12, "突发公共事件的应急预案、预警信息及应对情况"),
    Category("监督检查", 20, 13, "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"),
    Category("公务员招考", 20, 14, "公务员招考的职位、名额、报考条件等事项以及录用结果"),
    Category("其他主动公开信息", 20, 15, "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"),
    Category("市政建设", 21, 1, "市政建设"),
    Category("公共服务", 21, 2, "公共服务"),
    Category("公益事业", 21, 3, "公益事业"),
    Category("土地征收", 21, 4, "土地征收"),
    Category("房屋征收", 21, 5, "房屋征收"),
    Category("治安管理", 21, 6, "治安管理"),
    Category("社会救助", 21, 7, "社会救助"),
)

BY_KEY: dict[str, Category] = {c.key: c for c in CATEGORIES}
CATEGORY_KEYS: tuple[str, ...] = tuple(BY_KEY)
