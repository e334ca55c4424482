"""A document's life: its timeline of events and its 有效性 on any given day.

Status is derived, never typed:

* before its 施行日期 a document is 尚未生效;
* a 废止 (or a 清理 concluding 废止) makes it 已废止, a 失效 (or 清理 concluding 失效)
  makes it 已失效, from that day on; the first such event is final;
* past its 有效期至 (possibly extended by a 清理 concluding 继续有效) it is 已失效;
* otherwise a 修改 (or a 清理 concluding 修改) makes it 已修改 — still in force, as amended;
* otherwise it is 现行有效.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal, Mapping

from .document import Document, Event

Status = Literal["尚未生效", "现行有效", "已修改", "已废止", "已失效"]
STATUSES: tuple[Status, ...] = ("尚未生效", "现行有效", "已修改", "已废止", "已失效")
IN_FORCE: frozenset[str] = frozenset({"现行有效", "已修改"})

_ENDS = {"废止": "已废止", "失效": "已失效"}
ENDED: frozenset[str] = frozenset(_ENDS.values())


@dataclass(frozen=True)
class Step:
    """One dated entry of a document's timeline."""

    date: datetime.date
    kind: str  # 发布, 施行, 修改, 废止, 失效, 清理, 届满
    by: str | None = None
    reason: str | None = None
    campaign: str | None = None
    outcome: str | None = None
    event: int | None = None
    """Index of the event in the document's `events` (None for steps derived from dates)."""

    @property
    def effect(self) -> str | None:
        """What the step does to the status: 已修改, 已废止, 已失效 or nothing."""
        if self.kind == "清理":
            return {"修改": "已修改", "废止": "已废止", "失效": "已失效"}.get(self.outcome or "")
        if self.kind == "修改":
            return "已修改"
        if self.kind == "届满":
            return "已失效"
        return _ENDS.get(self.kind)


def event_date(event: Event, documents: Mapping[str, Document]) -> datetime.date | None:
    """An event's date, or the 施行日期 of the document it points to."""
    if event.date is not None:
        return event.date
    other = documents.get(event.by or "")
    return other.effective_date if other else None


def expiry(document: Document) -> datetime.date | None:
    """The last day of validity, after any 清理 that continued the document."""
    last = document.expires
    for event in document.events:
        if event.type == "清理" and event.outcome == "继续有效" and event.until:
            last = max(last, event.until) if last else event.until
    return last


def timeline(document: Document, documents: Mapping[str, Document]) -> list[Step]:
    """Every dated step of the document, in order (the day's own order kept for equal dates)."""
    steps = [Step(document.published, "发布")]
    if document.effective_date != document.published:
        steps.append(Step(document.effective_date, "施行"))
    for i, event in enumerate(document.events):
        day = event_date(event, documents)
        if day is not None:
            steps.append(Step(day, event.type, event.by, event.reason, event.campaign, event.outcome, i))
    last = expiry(document)
    if last is not None:
        steps.append(Step(last + datetime.timedelta(days=1), "届满"))
    return sorted(steps, key=lambda s: s.date)


def status_on(document: Document, day: datetime.date, documents: Mapping[str, Document]) -> Status:
    if day < document.effective_date:
        return "尚未生效"
    amended = False
    for step in timeline(document, documents):
        if step.date > day:
            break
        effect = step.effect
        if effect in ("已废止", "已失效"):
            return effect  # type: ignore[return-value]
        amended = amended or effect == "已修改"
    return "已修改" if amended else "现行有效"


def ending(document: Document, documents: Mapping[str, Document]) -> Step | None:
    """The step that ended the document's validity (repeal, lapse, expiry), if any."""
    for step in timeline(document, documents):
        if step.effect in ("已废止", "已失效"):
            return step
    return None
