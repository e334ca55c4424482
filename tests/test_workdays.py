"""Working days follow the official holiday calendar, 调休 weekends included."""

from __future__ import annotations

import datetime

from gongkai.model.workdays import HolidayYear, WorkCalendar

D = datetime.date


def test_national_day_holidays_and_makeup_weekends_of_2020():
    calendar = WorkCalendar()
    assert not calendar.is_workday(D(2020, 10, 5))  # a Monday in the National Day holiday
    assert calendar.is_workday(D(2020, 9, 27))  # a Sunday worked in exchange (调休)
    assert calendar.is_workday(D(2020, 10, 10))  # a Saturday worked in exchange
    # 2020-09-25 (Fri) → 2020-10-12 (Mon): 9-27, 9-28, 9-29, 9-30, 10-9, 10-10, 10-12
    assert calendar.workdays_after(D(2020, 9, 25), D(2020, 10, 12)) == 7
    assert calendar.unknown_years == set()


def test_spring_festival_2021():
    calendar = WorkCalendar()
    assert calendar.is_workday(D(2021, 2, 7))  # Sunday before the festival, worked
    assert not calendar.is_workday(D(2021, 2, 11))
    assert calendar.workdays_after(D(2021, 2, 10), D(2021, 2, 18)) == 1  # only 2-18 (Thu)


def test_counting_excludes_the_start_day_and_includes_the_end_day():
    calendar = WorkCalendar()
    assert calendar.workdays_after(D(2023, 3, 6), D(2023, 3, 6)) == 0
    assert calendar.workdays_after(D(2023, 3, 6), D(2023, 3, 7)) == 1
    assert calendar.workdays_after(D(2023, 3, 10), D(2023, 3, 13)) == 1  # Fri → Mon


def test_a_year_the_package_does_not_know_falls_back_to_weekdays_and_is_remembered():
    calendar = WorkCalendar()
    assert calendar.is_workday(D(2099, 1, 1))  # a Thursday
    assert not calendar.is_workday(D(2099, 1, 3))  # a Saturday
    assert calendar.unknown_years == {2099}


def test_an_arrangement_in_data_overrides_the_package_and_weekdays():
    year = HolidayYear.model_validate({
        "holidays": [{"name": "元旦", "start": "2099-01-01", "end": "2099-01-02"}],
        "workdays": ["2099-01-03"],
    })
    calendar = WorkCalendar({2099: year})
    assert not calendar.is_workday(D(2099, 1, 1))
    assert not calendar.is_workday(D(2099, 1, 2))
    assert calendar.is_workday(D(2099, 1, 3))  # a Saturday worked in exchange
    assert calendar.workdays_after(D(2098, 12, 31), D(2099, 1, 5)) == 2  # 1-3 and 1-5
    assert calendar.unknown_years == set()
