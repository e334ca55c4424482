"""Working days by the official Chinese holiday calendar, 调休 weekends included.

The `chinese-calendar` package knows every year the State Council has announced. For a
newer year, editors can add `data/holidays/<year>.yml` without waiting for a package
release; for a year known to neither, weekdays are used and the year is remembered so
the build can warn once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Iterable

import chinese_calendar
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from .fields import Entry, IsoDate, Record, Text, field
from .kind import Kind, one_schema


class Holiday(Record):
    name: Text = field("节日名称")
    start: IsoDate = field("放假开始日期")
    end: IsoDate | None = field("放假结束日期", "只放一天时可不填", default=None)

    @model_validator(mode="after")
    def _ordered(self) -> "Holiday":
        if self.end is not None and self.end < self.start:
            raise PydanticCustomError("gk_holiday", "放假结束日期早于开始日期", {})
        return self

    def days(self) -> Iterable[datetime.date]:
        day, last = self.start, self.end or self.start
        while day <= last:
            yield day
            day += datetime.timedelta(days=1)


class HolidayYear(Entry):
    """国务院办公厅公布的某一年节假日安排（data/holidays/<年份>.yml）。"""

    holidays: list[Holiday] = field("放假日期", default_factory=list)
    workdays: list[IsoDate] = field("调休上班日期", "因调休而上班的周末", default_factory=list)


@dataclass
class WorkCalendar:
    years: dict[int, HolidayYear] = dc_field(default_factory=dict)
    unknown_years: set[int] = dc_field(default_factory=set)
    """Years for which neither the data nor the package had an arrangement (weekdays used)."""
    _days: dict[int, tuple[frozenset, frozenset]] = dc_field(default_factory=dict, repr=False)
    _known: dict[datetime.date, bool] = dc_field(default_factory=dict, repr=False)

    def is_workday(self, day: datetime.date) -> bool:
        known = self._known.get(day)
        if known is None:  # (asked again and again: every document's days from written to published)
            known = self._known[day] = self._is_workday(day)
        return known

    def _is_workday(self, day: datetime.date) -> bool:
        if day.year in self.years:
            off, on = self._arrangement(day.year)
            if day in on:
                return True
            return day.weekday() < 5 and day not in off
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            self.unknown_years.add(day.year)
            return day.weekday() < 5

    def workdays_after(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days fall after `start`, up to and including `end`."""
        count, day = 0, start
        while day < end:
            day += datetime.timedelta(days=1)
            count += self.is_workday(day)
        return count

    def _arrangement(self, year: int) -> tuple[frozenset, frozenset]:
        if year not in self._days:
            data = self.years[year]
            off = frozenset(d for h in data.holidays for d in h.days())
            self._days[year] = (off, frozenset(data.workdays))
        return self._days[year]

KIND = Kind("holidays", "节假日安排", "holidays", HolidayYear,
            one_schema("holidays", HolidayYear, "节假日安排（data/holidays/）", "data/holidays/*.yml"), order=30)
