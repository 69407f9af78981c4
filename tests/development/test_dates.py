"""The 细则 counts in months ("满一年", "三个月内"); a month later is the same day, or the month's last day."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from partyedu.development.dates import add_months, quarter_end, quarter_start

days = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2090, 12, 31))


@given(days, st.integers(min_value=0, max_value=120))
def test_months_later_is_never_earlier_and_keeps_the_day_when_it_can(day, months):
    later = add_months(day, months)
    assert later >= day
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or (later.day < day.day and (later + datetime.timedelta(days=1)).day == 1)


@given(days)
def test_a_year_is_twelve_months(day):
    assert (add_months(day, 12) - day).days in (365, 366)
    assert add_months(day, 12) == (
        day.replace(year=day.year + 1)
        if (day.month, day.day) != (2, 29)
        else datetime.date(day.year + 1, 2, 28)
    )


@given(days)
def test_a_day_lies_in_its_quarter(day):
    assert quarter_start(day) <= day <= quarter_end(day)
    assert (quarter_end(day) + datetime.timedelta(days=1)).month in (1, 4, 7, 10)
    assert quarter_start(day).month in (1, 4, 7, 10) and quarter_start(day).day == 1


def test_31_january_plus_one_month_is_the_end_of_february():
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)
