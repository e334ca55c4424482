"""Report data for tests: a consistent typed table 三, and a small request register."""

from __future__ import annotations

from gongkai.model.report import request_rows, result_leaves
from gongkai.yamlout import dump


def requests_table(version: str, new: list[int], carried_over: list[int], results: dict[tuple, list[int]]) -> dict:
    """A table 三 whose identities hold: totals filled in, 结转下年度 balancing the rest."""
    table: dict = {}

    def put(path, six):
        node = table
        for name in path[:-1]:
            node = node.setdefault(name, {})
        node[path[-1]] = [*six, sum(six)]

    put(("new",), new)
    put(("carried_over",), carried_over)
    for path in result_leaves(request_rows(version)):
        put(path, results.get(path, [0] * 6))
    total = [sum(results.get(p, [0] * 6)[c] for p in result_leaves(request_rows(version))) for c in range(6)]
    put(("results", "total"), total)
    put(("carried_forward",), [new[c] + carried_over[c] - total[c] for c in range(6)])
    return table


# From 2022 on the test units count no 行政许可, 处罚, 强制 or 收费, as their columns say.
NO_POWERS = {"licensing": 0, "punishment": 0, "enforcement": 0, "fees": "0"}


def zero_reviews() -> dict:
    zero = {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
    return {"review": dict(zero), "litigation_direct": dict(zero), "litigation_after_review": dict(zero)}


def office_report(year: int, carried_over: list[int]) -> str:
    version = "2019" if year <= 2020 else "2021"
    results = {("results", "public"): [3, 1, 0, 0, 0, 0], ("results", "unable", "not_held"): [1, 0, 0, 0, 0, 0]}
    active = (
        {"licensing": {"last_year": 5, "change": -1, "decisions": 12}, "other_services": {"last_year": 2, "change": 0, "decisions": 3},
         "punishment": {"last_year": 1, "change": 1, "decisions": 4}, "enforcement": {"last_year": 0, "change": 0, "decisions": 0},
         "fees": {"last_year": 1, "change": 0}, "procurement": {"projects": 3, "amount": "12.5", "unit": "万元"}}
        if version == "2019" else {"licensing": 12, "punishment": 4, "enforcement": 0, "fees": "1.25"} if year < 2022 else NO_POWERS
    )
    return dump({
        "published": f"{year + 1}-01-20",
        "overview": f"{year} 年，本办公室依法做好政府信息公开工作。",
        "active": active,
        "requests": requests_table(version, [5, 1, 0, 0, 0, 1], carried_over, results),
        "reviews": zero_reviews(),
        "problems": "信息公开的及时性有待提高。",
        "other": "本年度未收取信息处理费。",
    })


REGISTER = """\
requests:
  - {number: "2020-009", applicant: 自然人, received: 2020-12-20, outcome: 予以公开, closed: 2021-01-08}
  - {number: "2021-001", applicant: 自然人, received: 2021-02-01, outcome: 予以公开, closed: 2021-02-20}
  - {number: "2021-002", applicant: 商业企业, received: 2021-03-05, outcome: 部分公开, closed: 2021-03-30}
  - {number: "2021-003", applicant: 自然人, received: 2021-05-10, outcome: 不予公开-国家秘密, closed: 2021-05-28}
  - {number: "2021-004", applicant: 法律服务机构, received: 2021-07-01, outcome: 其他处理-逾期不补正, closed: 2021-08-20}
  - {number: "2021-005", applicant: 自然人, received: 2021-12-28}
"""


def gov_report(year: int) -> str:
    return dump({
        "published": f"{year + 1}-01-25",
        "overview": "区政府全年依法公开政府信息。",
        "active": {"normative": {"made": 0, "repealed": 0, "in_force": 0},
                   **({"licensing": 100, "punishment": 20, "enforcement": 2, "fees": "50"} if year < 2022 else NO_POWERS)},
        "reviews": {**zero_reviews(), "review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}},
        "problems": "解读形式较为单一。",
        "other": "本年度未收取信息处理费。",
    })
