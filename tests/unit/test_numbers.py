import datetime as dt
from decimal import Decimal

import pytest

from gklint.numbers import cn_to_int, find_dates, int_to_cn, parse_value


@pytest.mark.parametrize("text,number,unit", [
    ("47", Decimal(47), None),
    ("减47", Decimal(-47), None),
    ("-4", Decimal(-4), None),
    ("－4", Decimal(-4), None),
    ("\u22124", Decimal(-4), None),
    ("+9", Decimal(9), None),
    ("＋9", Decimal(9), None),
    ("增9", Decimal(9), None),
    ("６１２", Decimal(612), None),
    ("4，279，099.95", Decimal("4279099.95"), None),
    ("4279099.95 元", Decimal("4279099.95"), "元"),
    ("23.0910", Decimal("23.0910"), None),
    ("1 234", Decimal(1234), None),
    ("100%", Decimal(100), "%"),
    (" 0 ", Decimal(0), None),
])
def test_number_forms(text, number, unit):
    v = parse_value(text)
    assert v.kind == "number"
    assert v.number == number and isinstance(v.number, Decimal)
    assert v.unit == unit


def test_decimal_places_are_kept():
    assert str(parse_value("23.0910").number) == "23.0910"


@pytest.mark.parametrize("text,kind", [("", "blank"), ("\u3000", "blank"), ("/", "placeholder"),
                                       ("—", "placeholder"), ("-", "placeholder"), ("无", "placeholder"),
                                       ("三", "text"), ("约10", "text"), ("XX", "text")])
def test_blank_placeholder_text_are_distinct_from_zero(text, kind):
    v = parse_value(text)
    assert v.kind == kind
    assert v.number is None


def test_chinese_numerals():
    assert [cn_to_int(s) for s in ("十", "十二", "二十一", "一百零五", "二〇二一", "二O二一")] == \
        [10, 12, 21, 105, 2021, 2021]
    assert [int_to_cn(n) for n in (1, 10, 12, 20, 21, 105)] == ["一", "十", "十二", "二十", "二十一", "一百零五"]


def test_dates_chinese_and_iso():
    assert [d for d, _, _ in find_dates("落款：二〇二一年一月二十九日")] == [dt.date(2021, 1, 29)]
    assert [d for d, _, _ in find_dates("发布日期:2020-01-22 信息来源")] == [dt.date(2020, 1, 22)]
    assert [d for d, _, _ in find_dates("２０２１年１月２９日")] == [dt.date(2021, 1, 29)]
    assert find_dates("2021年2月30日") == []
