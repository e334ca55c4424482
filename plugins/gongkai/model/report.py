"""政府信息公开工作年度报告: the statutory formats and the data of one report.

Two official formats, chosen by the report's year: the 2019 trial format
(国办公开办函〔2019〕60号) for 2019 and 2020, the 2021 format (国办公开办函〔2021〕30号)
from 2021 on. The labels below are the official ones, character for character.

Table 三 (requests) is a list of rows of seven numbers: 自然人, the five kinds of
法人或其他组织, and 总计. Its figures can be typed, or derived from a request register
(`requests.py`), in which case its identities hold by construction.

Figures are kept as published: a cell left blank is `None` (not 0), a figure printed
`3,985,758` or in full-width digits is read exactly, and the one known variant of the 2021
layout, （六）其他处理 printed as a single row, is kept as a single row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Union

from annotated_types import Ge, Len
from pydantic import BeforeValidator, Discriminator, NonNegativeInt, Tag, WithJsonSchema

from .fields import PRINTED_NUMBER, Email, Entry, Identifier, IsoDate, Phone, Postcode, Record, Text, field, layout_tag, printed_number
from .kind import Kind, Schema

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
COLUMNS = (*APPLICANTS, "总计")
ORGANIZATIONS = APPLICANTS[1:]

def _as_printed(minimum: int | None) -> WithJsonSchema:
    """What editors may type: a number, the number as printed (3,985,758), or nothing."""
    number: dict[str, Any] = {"type": "number"} if minimum is None else {"type": "number", "minimum": minimum}
    return WithJsonSchema({"anyOf": [number, {"type": "string", "pattern": PRINTED_NUMBER}, {"type": "null"}]})


Count = Annotated[NonNegativeInt | None, BeforeValidator(printed_number), _as_printed(0)]
"""One cell of a statutory table: a whole number as printed, or None where it was left blank."""
Change = Annotated[int | None, BeforeValidator(printed_number), _as_printed(None)]
Amount = Annotated[Annotated[Decimal, Ge(0)] | None, BeforeValidator(printed_number), _as_printed(0)]

Counts = Annotated[list[Count], Len(7, 7)]
"""Seven counts: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计."""


def counts(title: str) -> Any:
    return field(title, "七个数字：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计")


def version_of(year: int) -> str:
    """Reports for 2019 and 2020 use the 2019 trial format; later ones the 2021 format."""
    return "2019" if year <= 2020 else "2021"


# --- table 三 ---------------------------------------------------------------------------------


class Withheld(Record):
    state_secret: Counts = counts("1.属于国家秘密")
    prohibited: Counts = counts("2.其他法律行政法规禁止公开")
    three_safeties: Counts = counts("3.危及“三安全一稳定”")
    third_party: Counts = counts("4.保护第三方合法权益")
    internal_affairs: Counts = counts("5.属于三类内部事务信息")
    process_info: Counts = counts("6.属于四类过程性信息")
    enforcement_files: Counts = counts("7.属于行政执法案卷")
    inquiry: Counts = counts("8.属于行政查询事项")


class Unable(Record):
    not_held: Counts = counts("1.本机关不掌握相关政府信息")
    needs_creation: Counts = counts("2.没有现成信息需要另行制作")
    still_unclear: Counts = counts("3.补正后申请内容仍不明确")


class NotProcessed(Record):
    petition: Counts = counts("1.信访举报投诉类申请")
    repeated: Counts = counts("2.重复申请")
    publications: Counts = counts("3.要求提供公开出版物")
    excessive: Counts = counts("4.无正当理由大量反复申请")
    confirmation: Counts = counts("5.要求行政机关确认或重新出具已获取信息")


class OtherHandling(Record):
    overdue_correction: Counts = counts("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    overdue_fee: Counts = counts("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    other: Counts = counts("3.其他")


_ROWS, _ROW = layout_tag("三行"), layout_tag("一行")


def _other_layout(value: Any) -> str | None:
    return _ROWS if isinstance(value, dict) else _ROW if isinstance(value, list) else None


OTHER_LAYOUTS = (
    "（六）其他处理有两种写法：三项 overdue_correction、overdue_fee、other，各七个数字（2021 年格式）；"
    "或一行七个数字（2019 年格式，以及照原表印成一行的 2021 年报告），例如 other: [0, 0, 0, 0, 0, 0, 0]"
)
OtherRows = Annotated[
    Union[Annotated[OtherHandling, Tag(_ROWS)], Annotated[Counts, Tag(_ROW)]],
    Discriminator(_other_layout, custom_error_type="gk_layout", custom_error_message=OTHER_LAYOUTS),
]
"""（六） as the 2021 format prints it (three rows), or as some reports print it (one row)."""


class Results2019(Record):
    public: Counts = counts("（一）予以公开")
    partial: Counts = counts("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    withheld: Withheld = field("（三）不予公开")
    unable: Unable = field("（四）无法提供")
    not_processed: NotProcessed = field("（五）不予处理")
    other: OtherRows = field("（六）其他处理", "一行七个数字（2019 年格式），或照原表分为三项")
    total: Counts = counts("（七）总计")


class Results2021(Results2019):
    other: OtherRows = field("（六）其他处理", "三项（2021 年格式），或照原表的一行七个数字")


class Requests2019(Record):
    """三、收到和处理政府信息公开申请情况。"""

    new: Counts = counts("一、本年新收政府信息公开申请数量")
    carried_over: Counts = counts("二、上年结转政府信息公开申请数量")
    results: Results2019 = field("三、本年度办理结果")
    carried_forward: Counts = counts("四、结转下年度继续办理")


class Requests2021(Requests2019):
    results: Results2021 = field("三、本年度办理结果")


@dataclass(frozen=True)
class RequestRow:
    """One row of table 三 as printed: its label, nesting level and where its numbers are."""

    path: tuple[str, ...]
    label: str
    level: int  # 1: 一、… 2: （一）… 3: 1.…
    data: bool = True


def _title(model: type[Record], name: str) -> str:
    return model.model_fields[name].title or name


def request_rows(version: str, other_split: bool | None = None) -> list[RequestRow]:
    """Every row of table 三 in order, group headers (no numbers) included; （六） has three
    rows in the 2021 format and one in the 2019 format, unless `other_split` says how the
    report printed it."""
    model = Requests2019 if version == "2019" else Requests2021
    if other_split is None:
        other_split = version == "2021"
    rows = [
        RequestRow(("new",), _title(model, "new"), 1),
        RequestRow(("carried_over",), _title(model, "carried_over"), 1),
        RequestRow(("results",), _title(model, "results"), 1, data=False),
    ]
    results: Any = model.model_fields["results"].annotation
    for name, info in results.model_fields.items():
        nested = info.annotation if isinstance(info.annotation, type) and issubclass(info.annotation, Record) else None
        if name == "other":
            nested = OtherHandling if other_split else None
        if nested is None:
            rows.append(RequestRow(("results", name), info.title or name, 2))
        else:
            rows.append(RequestRow(("results", name), info.title or name, 2, data=False))
            rows += [RequestRow(("results", name, leaf), leaf_info.title or leaf, 3) for leaf, leaf_info in nested.model_fields.items()]
    rows.append(RequestRow(("carried_forward",), _title(model, "carried_forward"), 1))
    return rows


def cell_label(row: RequestRow, column: int) -> str:
    """A cell of table 三 as findings name it: requests.new（一、…）第 7 列（总计）."""
    return f"requests.{'.'.join(row.path)}（{row.label}）第 {column + 1} 列（{COLUMNS[column]}）"


def rows_of(requests: Record) -> list[RequestRow]:
    """The rows of this table as it was written."""
    version = "2019" if type(requests) is Requests2019 else "2021"
    return request_rows(version, isinstance(getattr(requests, "results").other, OtherHandling))


def row_values(requests: Record, path: tuple[str, ...]) -> list[int | None]:
    """The seven cells of a row; a group of rows (（六） printed as three) reads as their sum."""
    value: Any = requests
    for name in path:
        value = getattr(value, name)
    if isinstance(value, Record):
        rows = [getattr(value, leaf) for leaf in type(value).model_fields]
        return [None if any(r[c] is None for r in rows) else sum(r[c] for r in rows) for c in range(7)]
    return value


# The leaf rows whose sum is (七)总计, and the short names a request register uses for them.
OUTCOMES_2021: dict[str, tuple[str, ...]] = {
    "予以公开": ("results", "public"),
    "部分公开": ("results", "partial"),
    "不予公开-国家秘密": ("results", "withheld", "state_secret"),
    "不予公开-法律禁止": ("results", "withheld", "prohibited"),
    "不予公开-三安全一稳定": ("results", "withheld", "three_safeties"),
    "不予公开-第三方权益": ("results", "withheld", "third_party"),
    "不予公开-内部事务": ("results", "withheld", "internal_affairs"),
    "不予公开-过程性信息": ("results", "withheld", "process_info"),
    "不予公开-行政执法案卷": ("results", "withheld", "enforcement_files"),
    "不予公开-行政查询事项": ("results", "withheld", "inquiry"),
    "无法提供-不掌握": ("results", "unable", "not_held"),
    "无法提供-需另行制作": ("results", "unable", "needs_creation"),
    "无法提供-补正后仍不明确": ("results", "unable", "still_unclear"),
    "不予处理-信访举报投诉": ("results", "not_processed", "petition"),
    "不予处理-重复申请": ("results", "not_processed", "repeated"),
    "不予处理-公开出版物": ("results", "not_processed", "publications"),
    "不予处理-大量反复申请": ("results", "not_processed", "excessive"),
    "不予处理-确认或重新出具": ("results", "not_processed", "confirmation"),
    "其他处理-逾期不补正": ("results", "other", "overdue_correction"),
    "其他处理-逾期未缴费": ("results", "other", "overdue_fee"),
    "其他处理-其他": ("results", "other", "other"),
}


def outcome_path(outcome: str, version: str) -> tuple[str, ...]:
    """Where a register's outcome is counted; in the 2019 format (六) has no sub-rows."""
    path = OUTCOMES_2021[outcome]
    return path[:2] if version == "2019" and path[1] == "other" else path


def result_leaves(rows: list[RequestRow]) -> list[tuple[str, ...]]:
    """The data rows under 三 that add up to (七)总计."""
    return [r.path for r in rows if r.data and r.path[0] == "results" and r.path[-1] != "total"]


# --- table 四 ---------------------------------------------------------------------------------


class Outcomes(Record):
    upheld: Count = field("结果维持")
    corrected: Count = field("结果纠正")
    other: Count = field("其他结果")
    pending: Count = field("尚未审结")
    total: Count = field("总计")


class Reviews(Record):
    """四、政府信息公开行政复议、行政诉讼情况。"""

    review: Outcomes = field("行政复议")
    litigation_direct: Outcomes = field("未经复议直接起诉")
    litigation_after_review: Outcomes = field("复议后起诉")


# --- table 二 ---------------------------------------------------------------------------------


class Normative2021(Record):
    made: Count = field("本年制发件数", "不填则由文件库推算", default=None)
    repealed: Count = field("本年废止件数", "不填则由文件库推算", default=None)
    in_force: Count = field("现行有效件数", "不填则由文件库推算", default=None)


class Active2021(Record):
    """二、主动公开政府信息情况（2021 年格式）。"""

    regulations: Normative2021 = field("规章", default_factory=lambda: Normative2021(made=0, repealed=0, in_force=0))
    normative: Normative2021 = field("行政规范性文件", default_factory=Normative2021)
    licensing: Count = field("行政许可（本年处理决定数量）")
    punishment: Count = field("行政处罚（本年处理决定数量）")
    enforcement: Count = field("行政强制（本年处理决定数量）")
    fees: Amount = field("行政事业性收费（本年收费金额，万元）")


class Normative2019(Record):
    made: Count = field("本年新制作数量", "不填则由文件库推算", default=None)
    published: Count = field("本年新公开数量", "不填则由文件库推算", default=None)
    total: Count = field("对外公开总数量", "不填则由文件库推算", default=None)


class Items(Record):
    last_year: Count = field("上一年项目数量")
    change: Change = field("本年增/减", "可为负数")


class ItemsAndDecisions(Items):
    decisions: Count = field("处理决定数量")


class Procurement(Record):
    projects: Count = field("采购项目数量")
    amount: Amount = field("采购总金额")
    unit: Literal["元", "万元"] = field("金额单位", default="万元")


class Active2019(Record):
    """二、主动公开政府信息情况（2019 年试行格式）。"""

    regulations: Normative2019 = field("规章", default_factory=lambda: Normative2019(made=0, published=0, total=0))
    normative: Normative2019 = field("规范性文件", default_factory=Normative2019)
    licensing: ItemsAndDecisions = field("行政许可")
    other_services: ItemsAndDecisions = field("其他对外管理服务事项")
    punishment: ItemsAndDecisions = field("行政处罚")
    enforcement: ItemsAndDecisions = field("行政强制")
    fees: Items = field("行政事业性收费")
    procurement: Procurement = field("政府集中采购")


# --- the report --------------------------------------------------------------------------------


CHECKS = {
    "row-total": "总计等于前六列之和（表三每一行）",
    "results-total": "（七）总计等于（一）至（六）各项之和（表三）",
    "balance": "第一项加第二项等于第三项（七）加第四项（表三）",
    "reviews-total": "总计等于结果维持、结果纠正、其他结果、尚未审结之和（表四）",
}
"""The arithmetic of the statutory tables, by the name an editor acknowledges an error with."""


class KnownError(Record):
    """原报告发布时即有的勾稽差错：照原样保留，并在页面表下说明。"""

    check: Literal[tuple(CHECKS)] = field("勾稽关系", "；".join(f"{k}：{v}" for k, v in CHECKS.items()))  # type: ignore[valid-type]
    cell: Text = field("单元格", "构建报错时给出的位置，例如 reviews.review.total 或 requests.results.total[7]")
    reason: Text = field("说明", "例如“原文如此”")


class Contact(Record):
    """报告末尾的联系方式。"""

    address: str | None = field("通信地址", default=None)
    postcode: Postcode | None = field("邮政编码", default=None)
    phones: list[Phone] = field("联系电话", default_factory=list)
    fax: Phone | None = field("传真", default=None)
    email: Email | None = field("电子邮箱", default=None)


SectionKey = Literal["overview", "active", "requests", "reviews", "problems", "other"]
SECTION_KEYS: tuple[str, ...] = ("overview", "active", "requests", "reviews", "problems", "other")


class _Report(Entry):
    title: str | None = field("报告标题", "原文标题与标准标题（××年政府信息公开工作年度报告）不同时填写", default=None)
    period: str | None = field("统计期限", "原文的统计期限说明；不填则写“自×年1月1日起至12月31日止”", default=None)
    published: IsoDate = field("发布日期")
    covers: list[Identifier] = field(
        "一并统计的单位", "规范性文件数量还统计这些单位的文件，例如区政府报告一并统计区政府办公室", default_factory=list
    )
    overview: Text = field("一、总体情况", "Markdown")
    reviews: Reviews = field("四、政府信息公开行政复议、行政诉讼情况")
    problems: Text = field("五、存在的主要问题及改进情况", "Markdown")
    other: Text = field("六、其他需要报告的事项", "Markdown")
    contact: Contact | None = field("联系方式", "报告末尾的联系地址、邮编、电话、邮箱", default=None)
    section_titles: dict[SectionKey, Text] = field(
        "部分标题", "原报告的部分标题与标准标题不同时照录，例如 problems: 五、政府信息公开工作存在的主要问题及改进情况",
        default_factory=dict)
    known_errors: list[KnownError] = field(
        "原文差错", "历史报告照原样发布时，登记原文中已知的勾稽差错；页面在表下说明", default_factory=list)

    @property
    def unit(self) -> str:
        return self.id.split("/")[0]

    @property
    def year(self) -> int:
        return int(self.id.split("/")[1])

    @property
    def sections(self) -> list[str]:
        """The six section titles as the report printed them (the standard ones unless it differs)."""
        return [self.section_titles.get(key, standard) for key, standard in zip(SECTION_KEYS, SECTIONS)]  # type: ignore[call-overload]


class Report2019(_Report):
    """政府信息公开工作年度报告（2019 年试行格式，用于 2019、2020 年度）。文件名为年份。"""

    active: Active2019 = field("二、主动公开政府信息情况")
    requests: Requests2019 | None = field("三、收到和处理政府信息公开申请情况", "不填则由依申请公开登记推算", default=None)

    version: ClassVar[str] = "2019"


class Report2021(_Report):
    """政府信息公开工作年度报告（2021 年格式，用于 2021 年度及以后）。文件名为年份。"""

    active: Active2021 = field("二、主动公开政府信息情况")
    requests: Requests2021 | None = field("三、收到和处理政府信息公开申请情况", "不填则由依申请公开登记推算", default=None)

    version: ClassVar[str] = "2021"


AnnualReport = Report2019 | Report2021


def report_model(year: int) -> type[_Report]:
    return Report2019 if version_of(year) == "2019" else Report2021


SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


def report_model_of(id: str) -> type[_Report]:
    """The format of `data/reports/<unit>/<year>.yml` follows its year; ValueError (Chinese) for a bad name."""
    unit, _, year = id.partition("/")
    if len(year) != 4 or not year.isdigit():
        raise ValueError(f"年度报告的文件名应为年份，例如 data/reports/{unit}/2021.yml，而不是“{year}”")
    return report_model(int(year))


KIND = Kind("reports", "年度报告", "reports", report_model_of, (
    Schema("report-2019", report_model(2019), "年度报告（2019、2020 年度，试行格式）",
           ("data/reports/*/2019.yml", "data/reports/*/2020.yml")),
    Schema("report-2021", report_model(2021), "年度报告（2021 年度起，新格式）",
           ("data/reports/*/202[1-9].yml", "data/reports/*/20[3-9][0-9].yml")),
), order=60, nested=True, page="reports/{id}.md")
