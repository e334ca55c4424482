"""依申请公开登记: one line per request, from which table 三 of the annual report follows.

The register holds what the statistics need and nothing about the person: applicant
type, dates and outcome. It has no field for a name or a contact, so none can be kept.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal, cast

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from .fields import Entry, IsoDate, Record, Text, field
from .kind import Kind, one_schema
from .report import APPLICANTS, OUTCOMES_2021, Requests2019, Requests2021, outcome_path, request_rows

Applicant = Literal["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
Outcome = Literal[tuple(OUTCOMES_2021)]  # type: ignore[valid-type]


class Request(Record):
    number: Text = field("登记编号")
    applicant: Applicant = field("申请人类型", "自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他")
    received: IsoDate = field("收到申请日期")
    outcome: Outcome | None = field("办理结果", "例如 予以公开、不予公开-国家秘密；未办结时不填", default=None)  # type: ignore[valid-type]
    closed: IsoDate | None = field("办结日期", "未办结时不填", default=None)

    @model_validator(mode="after")
    def _complete(self) -> "Request":
        if (self.outcome is None) != (self.closed is None):
            raise PydanticCustomError("gk_request", "办理结果和办结日期要么都填，要么都不填（未办结）", {})
        if self.closed is not None and self.closed < self.received:
            raise PydanticCustomError("gk_request", "办结日期早于收到申请日期", {})
        return self


class RequestRegister(Entry):
    """一个单位的政府信息公开申请登记（data/requests/<机构编号>.yml）。不得登记申请人姓名和联系方式。"""

    requests: list[Request] = field("申请", default_factory=list)


def derive_requests(register: RequestRegister, year: int, version: str) -> Requests2019 | Requests2021:
    """Table 三 for `year`, counted from the register; its identities hold by construction."""
    table: dict[str, Any] = {}
    for row in request_rows(version):
        if row.data:
            _put(table, row.path, [0] * 7)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    for request in register.requests:
        column = APPLICANTS.index(request.applicant)
        if request.received.year == year:
            _get(table, ("new",))[column] += 1
        elif request.received < start and (request.closed is None or request.closed >= start):
            _get(table, ("carried_over",))[column] += 1
        else:
            continue
        if request.closed is not None and request.closed <= end:
            _get(table, outcome_path(cast(str, request.outcome), version))[column] += 1  # closed, so it has one
            _get(table, ("results", "total"))[column] += 1
        else:
            _get(table, ("carried_forward",))[column] += 1
    for row in request_rows(version):
        if row.data:
            values = _get(table, row.path)
            values[6] = sum(values[:6])
    model = Requests2019 if version == "2019" else Requests2021
    return model.model_validate(table)


def _get(table: dict, path: tuple[str, ...]) -> list[int]:
    for name in path:
        table = table[name]
    return table  # type: ignore[return-value]


def _put(table: dict, path: tuple[str, ...], value: list[int]) -> None:
    for name in path[:-1]:
        table = table.setdefault(name, {})
    table[path[-1]] = value

KIND = Kind("request_registers", "依申请公开登记", "requests", RequestRegister,
            one_schema("requests", RequestRegister, "依申请公开登记（data/requests/）", "data/requests/*.yml"), order=70)
