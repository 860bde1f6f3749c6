"""Acceptance on the five real seed reports: `gklint extract` understands each of them."""

import json
import subprocess
import sys

import pytest
from conftest import seed

from gklint.readers import read
from gklint.report.bind import bind

EXPECTED = {  # prefix: (template, year, publication date)
    "000": ("gb2019", 2020, None),
    "001": ("gb2019", 2020, "2020-01-29"),
    "002": ("gb2021", 2024, None),
    "003": ("gb2019", 2020, None),
    "004": ("gb2019", 2019, "2020-01-22"),
}


def extract(prefix: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "gklint", "extract", "--format", "json", str(seed(prefix))],
                         capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout)


def t3(data: dict, row: str) -> dict:
    r = next(r for r in data["tables"]["T3"]["rows"] if r["key"] == row)
    return {c["column"]: c["value"] for c in r.get("cells", [])}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_template_year_date_sections(prefix):
    data = extract(prefix)
    template, year, date = EXPECTED[prefix]
    assert data["template"] == template
    assert data["report_year"] == year
    assert (data["publication_date"] or {}).get("date") == date
    assert [s["key"] for s in data["sections"]] == list("一二三四五六")
    assert data["tables"]["T3"]["missing_rows"] == []


def test_002_unnumbered_headings_and_table_three():
    data = extract("002")
    numbered = {s["key"]: s["numbered"] for s in data["sections"]}
    assert numbered == {"一": True, "二": False, "三": False, "四": True, "五": True, "六": True}
    assert t3(data, "一")["自然人"] == "102" and t3(data, "一")["总计"] == "104"
    assert t3(data, "(七)")["总计"] == "100"
    assert t3(data, "四")["总计"] == "4"
    t4 = data["tables"]["T4"]["rows"][0]["cells"]
    assert [c["value"] for c in t4] == "8 2 0 1 11 0 0 0 0 0 5 0 0 2 7".split()


def test_001_tab_rows_and_wrapped_label():
    data = extract("001")
    assert t3(data, "一") == dict(zip(["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
                                    "3 0 0 1 0 0 4".split()))
    assert t3(data, "(四)2")["自然人"] == "1"  # the row whose label sits in the wrong column
    row = next(r for r in data["tables"]["T3"]["rows"] if r["key"] == "(四)3")
    assert row["label"].replace(" ", "").endswith("补正后申请内容仍不明确")
    amount = next(r for r in data["tables"]["T2"]["rows"] if r["key"] == "政府集中采购")["cells"][1]
    assert (amount["number"], amount["unit"]) == ("4279099.95", "元")


def test_000_cells_shape_and_wrapped_cells():
    data = extract("000")
    assert t3(data, "(四)1")["总计"] == "6"
    assert t3(data, "(七)")["总计"] == "7"
    assert data["tables"]["T2"]["extra_rows"][0]["label"] == "行政确认"
    t4 = data["tables"]["T4"]["rows"][0]["cells"]
    assert [c["value"] for c in t4][:5] == ["2", "0", "0", "0", "2"]


def test_003_signed_change_and_empty_six_is_not_missing():
    data = extract("003")
    penalty = next(r for r in data["tables"]["T2"]["rows"] if r["key"] == "行政处罚")["cells"]
    assert [(c["value"], c["number"]) for c in penalty] == [("102", "102"), ("减47", "-47"), ("55", "55")]


def test_004_loose_cells_are_incomplete_not_shifted():
    data = extract("004")
    six = next(s for s in data["sections"] if s["key"] == "六")
    assert six["empty"] is True
    rows = {r["key"]: r for r in data["tables"]["T3"]["rows"]}
    assert rows["一"]["incomplete"] is True
    assert [v["value"] for v in rows["一"]["found_values"]] == ["5", "1", "0", "0", "6"]
    assert "cells" not in rows["一"]
    assert rows["四"]["incomplete"] is False  # the one complete row: seven zeros
    assert data["tables"]["T4"]["rows"][0]["incomplete"] is True
    assert len(data["tables"]["T4"]["rows"][0]["found_values"]) == 12
    # the rows where two labels follow each other without values in between
    assert rows["(五)5"]["found_values"] == [] and len(rows["(六)"]["found_values"]) == 3


def test_bind_in_process_matches_cli():
    report = bind(read(str(seed("002"))))
    assert report.tables["T3"].rows["(二)"].value("总计").number == 14
    assert report.period.start.isoformat() == "2024-01-01"
