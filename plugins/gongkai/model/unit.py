"""Units (机构): the seed notice's 附件2 工作职能清单, 附件1 公开工作人员 and the 权责清单."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from .fields import Email, Entry, IndexCode, IsoDate, Phone, Postcode, Record, Text, field, is_mobile
from .kind import Kind, one_schema

UnitType = Literal["市政府", "县级政府", "区政府", "政府工作部门", "区政府工作部门", "乡镇政府", "街道办事处", "管委会", "事业单位", "其他"]
UNIT_TYPES: tuple[str, ...] = get_args(UnitType)
GOVERNMENTS = frozenset({"市政府", "县级政府", "区政府", "乡镇政府"})
"""People's governments: 条例 第二十一条 binds them besides 第二十条."""
HOSTS = frozenset({"市政府", "县级政府", "区政府"})
"""Governments that can run a platform: the first of them is the platform's government, whose
disclosure rules bind every unit on it."""

Rank = Literal["正部级", "副部级", "正厅级", "副厅级", "正处级", "副处级", "正科级", "副科级", "股级"]

PowerType = Literal[
    "行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查",
    "行政确认", "行政奖励", "行政裁决", "其他行政权力", "公共服务",
]
POWER_TYPES: tuple[str, ...] = get_args(PowerType)

StaffRole = Literal["分管领导", "工作人员"]
STAFF_ROLES: tuple[str, ...] = get_args(StaffRole)


class Office(Record):
    """内设机构（机构设置）。"""

    name: Text = field("机构名称")
    functions: list[Text] = field("主要职责", "每条职责单独一项", min_length=1)
    phone: Phone | None = field("联系电话", default=None)


class Staff(Record):
    """政务公开（政府信息公开）工作人员（通知附件1）。"""

    role: StaffRole = field("类别", "分管领导 或 工作人员")
    name: Text = field("姓名")
    position: Text = field("职务")
    phone: Phone | None = field("联系方式", "办公电话；个人手机默认不公开", default=None)
    phone_public: bool = field(
        "手机号码公开", "联系方式是个人手机号码时，只有设为 true 才会在网站上公开", default=False
    )
    note: str | None = field("备注", default=None)
    internal: bool = field("仅内部报送", "设为 true 时此人只用于向区政务公开办报送，不在网站上出现", default=False)

    @property
    def published_phone(self) -> str | None:
        """The number the public may see: a personal mobile only with explicit consent."""
        if is_mobile(self.phone) and not self.phone_public:
            return None
        return self.phone


class Power(Record):
    """权责清单事项。"""

    code: str | None = field("事项编码", default=None)
    name: Text = field("事项名称")
    type: PowerType = field("事项类型")
    basis: Text = field("设定依据")
    subject: Text = field("实施主体")
    duties: Text = field("责任事项")
    accountability: Text = field("追责情形")


class LabelledPhone(Record):
    """一个带用途的电话号码。"""

    label: Text = field("用途", "例如 办公室、值班、投诉、咨询")
    number: Phone = field("号码")


class SeasonHours(Record):
    """一个季节的办公时间（夏季、冬季作息）。"""

    season: Text = field("季节", "例如 夏季、冬季")
    period: Text = field("执行期间", "例如 5月1日至9月30日")
    hours: Text = field("办公时间", "例如 上午 8:00—12:00，下午 15:00—18:00")


class Unit(Entry):
    """一个机构（单位）：通知附件2《工作职能清单》的全部栏目，加上公开工作人员和权责清单。"""

    name: Text = field("全称")
    short_name: str | None = field("简称", default=None)
    type: UnitType = field("机构类型")
    parent: str | None = field("上级单位", "上级单位的编号（data/units/ 下的文件名）", default=None)
    order: int = field("排序", "同类机构中的显示顺序，数字小的在前", default=100)
    index_code: IndexCode | None = field("索引号机构代码", "本单位自动生成索引号时使用的前缀，例如 QZ06101", default=None)
    rank: Rank | None = field("机构规格", "例如 正科级", default=None)
    basis: str | None = field("设立依据", "“三定”规定等设立文件，例如 《……职能配置、内设机构和人员编制规定》（鲤委办发〔2019〕12号）", default=None)
    address: Text = field("办公地址")
    mailing_address: str | None = field("通信地址", "与办公地址不同时填写", default=None)
    postcode: Postcode | None = field("邮政编码", default=None)
    office_hours: str | None = field("办公时间", "全年统一的办公时间；分季节时用 seasonal_hours", default=None)
    seasonal_hours: list[SeasonHours] = field("分季节办公时间", "夏季、冬季作息不同时，每季一项", default_factory=list)
    phone: Phone | None = field("联系电话", "一个号码；有多个号码时用 phones", default=None)
    phones: list[LabelledPhone] = field("电话号码", "多个号码时每个一项，注明用途（办公室、值班、投诉……）", default_factory=list)
    fax: Phone | None = field("传真", default=None)
    email: Email | None = field("电子邮箱", default=None)
    head: Text = field("负责人姓名")
    head_title: str | None = field("负责人职务", default=None)
    functions: list[Text] = field("工作职能", "每条职能单独一项", min_length=1)
    offices: list[Office] = field("机构设置", "内设机构及其职责", default_factory=list)
    staff: list[Staff] = field("公开工作人员", "通知附件1：分管领导和工作人员", default_factory=list)
    powers: list[Power] = field("权责清单", default_factory=list)
    updated: IsoDate = field("更新日期", "本页信息最近一次核对或变更的日期")

    @model_validator(mode="after")
    def _reachable(self) -> "Unit":
        if self.phone is None and not self.phones:
            raise PydanticCustomError("gk_unit", "请填写联系电话：phone（一个号码），或 phones（多个带用途的号码）", {})
        if not self.office_hours and not self.seasonal_hours:
            raise PydanticCustomError("gk_unit", "请填写办公时间：office_hours，或 seasonal_hours（分季节）", {})
        return self

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def is_government(self) -> bool:
        return self.type in GOVERNMENTS

    @property
    def hosts_platform(self) -> bool:
        return self.type in HOSTS

    @property
    def contact_phone(self) -> str:
        """The one number to show where there is room for one: `phone`, else the first of `phones`."""
        return self.phone or self.phones[0].number

    @property
    def all_phones(self) -> list[tuple[str, str]]:
        """(用途, 号码) of every number, `phone` first as 联系电话."""
        return [*((("联系电话", self.phone),) if self.phone else ()), *((p.label, p.number) for p in self.phones)]

    @property
    def hours_text(self) -> str:
        """The office hours in one line: 夏季（5月1日至9月30日）…；冬季（…）…."""
        seasons = "；".join(f"{s.season}（{s.period}）{s.hours}" for s in self.seasonal_hours)
        return "；".join(part for part in (self.office_hours, seasons) if part)

    @property
    def public_staff(self) -> list[Staff]:
        """Staff the public may see, 分管领导 before 工作人员 as on the form."""
        shown = [s for s in self.staff if not s.internal]
        return sorted(shown, key=lambda s: STAFF_ROLES.index(s.role))

    def is_published(self, path: tuple[str | int, ...]) -> bool:
        """A staff member marked internal is not shown, nor a personal mobile without consent."""
        if len(path) >= 3 and path[0] == "staff" and isinstance(path[1], int) and path[1] < len(self.staff):
            person = self.staff[path[1]]
            return not person.internal and (path[2] != "phone" or person.published_phone is not None)
        return True

    def power_counts(self) -> dict[str, int]:
        """Items per 事项类型, in the statutory order, types without items left out."""
        counts = {t: 0 for t in POWER_TYPES}
        for power in self.powers:
            counts[power.type] += 1
        return {t: n for t, n in counts.items() if n}

KIND = Kind("units", "机构", "units", Unit, one_schema("unit", Unit, "机构（data/units/）", "data/units/**/*.yml"),
            order=10, page="units/{id}.md", category="机构职能", unit_field="id")
