"""Checks across years on real series: one agency's published reports for consecutive years (tests/data/series,
sources in SOURCES.md), each cross-year finding verified by hand against both texts."""

import json
import shutil

from conftest import DATA
from docgen import build_docx, consistent_data
from test_across import following

from gklint.cli import main
from gklint.run.engine import check_file

SERIES = DATA / "series"


def _run(tmp_path, *paths) -> dict:
    out = tmp_path / "out.json"
    main(["check", "--no-cache", "--output-format", "json", "-o", str(out), *map(str, paths)])
    files = json.loads(out.read_text(encoding="utf-8"))["files"]
    return {"/".join(f["path"].replace("\\", "/").split("/")[-2:]): f["findings"] for f in files}


def _carry(path, row: str) -> str:
    """表三 row 二 (上年结转) or 四 (结转下年度) as read: the cells of the 总计 column."""
    cells = check_file(str(SERIES / path)).facts["tables"]["T3"]["rows"][row]["cells"]
    return cells["总计"][1]


def test_real_series_warn_exactly_where_a_report_contradicts_last_years(tmp_path):
    found = _run(tmp_path, SERIES)
    assert len([name for name in found if name.endswith(".txt")]) == 11  # SOURCES.md is skipped
    warnings = {(name, f["code"]) for name, fs in found.items() for f in fs
                if f["code"].startswith("GK60") and f["severity"] != "info"}
    assert warnings == {("scj/2022.txt", "GK603")}
    # 市场监督管理局 2022 repeats 2021's "发布159条…" word for word while every other figure of the paragraph changed
    (f,) = [f for f in found["scj/2022.txt"] if f["code"] == "GK603"]
    assert f["snippet"] == "发布159条酒店住宿业、民生主要商品、药品价格类公众号。" and f["location"]["section"] == "一"
    assert f["snippet"] in (SERIES / "scj/2021.txt").read_text(encoding="utf-8")
    start, end = f["span"]
    assert f["snippet"][start:end] == "159条"


def test_a_repeated_staff_count_is_not_a_carried_sentence(tmp_path):
    staff = "我局专门安排1名业务人员，明确专人专责，确保政务公开工作稳步推进。"
    for year in (2022, 2023):
        assert staff in (SERIES / f"scj/{year}.txt").read_text(encoding="utf-8")
    found = _run(tmp_path, SERIES / "scj")
    assert [f["code"] for f in found["scj/2023.txt"] if f["code"] != "GK600" and f["code"].startswith("GK60")] == []


def test_carry_over_that_holds_gives_no_gk601(tmp_path):
    """平潭综合实验区 2021→2022 and 公安局 2021→2022 each carried one application into the next year."""
    found = _run(tmp_path, SERIES)
    for agency in ("main", "gaj"):
        assert _carry(f"{agency}/2021.txt", "四") == _carry(f"{agency}/2022.txt", "二") == "1"
        assert not [f for f in found[f"{agency}/2022.txt"] if f["code"] == "GK601"]
    # the pairs were made: each 2022 report names its 2021 predecessor in a finding across years
    assert any("main/2021.txt" in f["message"] for f in found["main/2022.txt"] if f["code"] == "GK600")
    (stock,) = [f for f in found["gaj/2022.txt"] if f["code"] == "GK602"]  # 2 + 4 − 1 = 5, the report says 7
    assert (stock["severity"], stock["expected"], stock["found"]) == ("info", "5", "7")


def test_a_misplaced_total_is_one_finding_not_also_a_carry_over_warning(tmp_path):
    """农业农村局 2023: the 7 applications' total sits in row 二 (上年结转) instead of row 一; the report's own
    row check says so (GK303 on 二/总计), and GK601 on that very cell would be the same cause a second time."""
    assert _carry("nyn/2022.txt", "四") == "0" and _carry("nyn/2023.txt", "二") == "7"
    found = _run(tmp_path, SERIES / "nyn")
    blamed = [(f["code"], f["location"]["row"], f["location"]["column"]) for f in found["nyn/2023.txt"]
              if f["code"].startswith("GK30")]
    assert ("GK303", "二", "总计") in blamed
    assert [f for f in found["nyn/2023.txt"] if f["code"] == "GK601"] == []


def test_a_carry_over_total_blamed_by_its_own_row_is_not_reported_again(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    first = consistent_data()
    second = following(first)
    second["t3"]["二"][6] += 2  # 上年结转 总计 no longer the sum of its row (and no longer last year's 结转)
    build_docx(folder / "某局2022.docx", year=2022, agency="某局", data=first)
    build_docx(folder / "某局2023.docx", year=2023, agency="某局", data=second)
    found = _run(tmp_path, folder)
    codes = {(f["code"], f["location"].get("row"), f["location"].get("column")) for f in found["reports/某局2023.docx"]}
    assert ("GK303", "二", "总计") in codes and not any(c[0] == "GK601" for c in codes)
    second = following(first)
    second["t3"]["二"][0] += 1  # 自然人 and 总计 both one more: the row adds up, only last year's report disagrees
    second["t3"]["二"][6] += 1
    second["t3"]["一"][0] -= 1
    second["t3"]["一"][6] -= 1
    build_docx(folder / "某局2023.docx", year=2023, agency="某局", data=second)
    found = _run(tmp_path, folder)
    assert [f["code"] for f in found["reports/某局2023.docx"]] == ["GK601"]


def test_a_page_with_only_its_title_is_not_paired(tmp_path):
    """公安局 2020 was published as a page with its title only (the report was an attachment): GK002 says it
    cannot be checked, once; no GK600 on it or on 2021 about its missing tables."""
    folder = tmp_path / "gaj"
    shutil.copytree(SERIES / "gaj", folder)
    found = _run(tmp_path, folder)
    assert [f["code"] for f in found["gaj/2020.txt"]] == ["GK002"]
    for name in ("gaj/2019.txt", "gaj/2021.txt"):
        assert not [f for f in found[name] if f["code"].startswith("GK60")]
    assert any(f["code"] == "GK602" for f in found["gaj/2022.txt"])  # 2021→2022 still compared
    # asked for explicitly, the comparison that cannot be made is said once, with the reason
    found = _run(tmp_path, folder / "2021.txt", "--previous", folder / "2020.txt")
    (f,) = [f for f in found["gaj/2021.txt"] if f["code"].startswith("GK60")]
    assert f["code"] == "GK600" and "无法检查" in f["message"] and "六个部分的标题或统计表" in f["message"]
