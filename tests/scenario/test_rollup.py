"""`gklint rollup`, run as a county office runs it: three departments' reports of 2023 built from the official
template with known numbers, one of 2022, a damaged file and a README. Every summed cell equals the sum of
what `gklint extract --format json` shows of each report (added up here, independently); the region's report
with one wrong cell gets exactly one GK605 naming that cell and both numbers, a consistent one none; the
workbook and the Word document carry the same totals (LibreOffice opens the Word document)."""

import io
import json
import os
import pty
import shutil
import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest
from conftest import ROOT
from docgen import build_docx, consistent_data, libreoffice_convert

GKLINT = [sys.executable, "-m", "gklint"]
FACTORS = {"甲局": 1, "乙局": 2, "丙局": 5}
FEES = {"甲局": "23.0910", "乙局": "1.5", "丙局": "0.25"}  # 表二 万元: decimals add exactly
PLANTED = ("(一)", 0, "（一）予以公开", "自然人")  # the region report's wrong cell: T3 row, column index, label, column


def _data(factor: int, fee: str) -> dict:
    d = consistent_data()
    d["t3"] = {k: [x * factor for x in v] for k, v in d["t3"].items()}
    d["t4"] = [x * factor for x in d["t4"]]
    d["t2"] = {k: [x * factor if isinstance(x, int) else x for x in v] for k, v in d["t2"].items()}
    d["t2"]["行政事业性收费"] = [fee]
    return d


def _region_data(planted: int = 0) -> dict:
    d = _data(sum(FACTORS.values()), str(sum(Decimal(f) for f in FEES.values())))
    row, col = PLANTED[:2]
    d["t3"][row][col] += planted
    return d


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    root = tmp_path_factory.mktemp("county")
    good = root / "部门"
    good.mkdir()
    for name, factor in FACTORS.items():
        build_docx(good / f"{name}2023.docx", year=2023, agency=f"某县{name}", data=_data(factor, FEES[name]))
    mixed = root / "报送"
    shutil.copytree(good, mixed)
    build_docx(mixed / "丁局2022.docx", year=2022, agency="某县丁局", data=_data(3, "1"))
    (mixed / "戊局-损坏.docx").write_bytes((good / "甲局2023.docx").read_bytes()[:3000])
    (mixed / "README.md").write_text("# 报送说明\n", encoding="utf-8")
    build_docx(root / "县政府2023.docx", year=2023, agency="某县人民政府", data=_region_data())
    build_docx(root / "县政府2023-有误.docx", year=2023, agency="某县人民政府", data=_region_data(planted=2))
    return root


def gklint(cwd, *argv, text=True):
    return subprocess.run([*GKLINT, *argv], cwd=cwd, capture_output=True, text=text, timeout=300)


def _extract_sums(cwd, paths) -> dict:
    """(table, row, column) -> the sum of extract's numbers over the reports, blanks as 0."""
    sums: dict = {}
    for path in paths:
        p = gklint(cwd, "extract", "--format", "json", path)
        assert p.returncode == 0, p.stderr
        for key, t in json.loads(p.stdout)["tables"].items():
            for row in t["rows"]:
                for c in row["cells"]:
                    add = Decimal(c["number"]) if c["number"] is not None else Decimal(0)
                    assert c["kind"] in ("number", "blank")
                    sums[(key, row["key"], c["column"])] = sums.get((key, row["key"], c["column"]), 0) + add
    return sums


def _cells(tables: dict) -> dict:
    return {(k, row["key"], c["column"]): c for k, t in tables.items() for row in t["rows"] for c in row["cells"]}


def test_every_summed_cell_is_the_sum_of_the_extracted_cells(county):
    p = gklint(county, "rollup", "报送", "--output-format", "json")
    assert p.returncode == 3, p.stderr  # the damaged file
    data = json.loads(p.stdout)
    assert set(data) == {"reports", "not_read", "tables"}
    summed = sorted(x["path"] for x in data["reports"])
    assert summed == sorted(os.path.join("报送", f"{n}2023.docx") for n in FACTORS)
    assert all(x["year"] == 2023 and x["agency"].startswith("某县") for x in data["reports"])
    want = _extract_sums(county, summed)
    got = _cells(data["tables"])
    assert set(got) == set(want) and set(data["tables"]) == {"T2", "T3", "T4"}
    for key, cell in got.items():
        assert Decimal(cell["number"]) == want[key], key
        assert cell["value"] == cell["number"] and not cell.get("incomplete")
    assert got[("T2", "行政事业性收费", "本年收费金额（单位：万元）")]["number"] == "24.8410"
    assert got[("T3", "(七)", "总计")]["number"] == str(consistent_data()["t3"]["(七)"][6] * 8)


def test_files_not_summed_are_listed_with_the_reason(county):
    data = json.loads(gklint(county, "rollup", "报送", "--output-format", "json").stdout)
    reasons = {os.path.basename(x["path"]): x["reason"] for x in data["not_read"]}
    assert set(reasons) == {"丁局2022.docx", "戊局-损坏.docx", "README.md"}
    assert "2022年度" in reasons["丁局2022.docx"] and "2023年度" in reasons["丁局2022.docx"]
    assert reasons["戊局-损坏.docx"].startswith("无法读取")
    assert "不是年度报告" in reasons["README.md"]


def test_text_output_says_what_was_summed(county):
    p = gklint(county, "rollup", "报送")
    assert p.returncode == 3
    assert p.stdout.startswith("汇总了 3 份2023年度报告的表二、表三、表四；3 个文件未汇总（1 个无法读取）。")
    assert "## 表三：收到和处理政府信息公开申请情况" in p.stdout and "Traceback" not in p.stderr
    assert f"| （七）总计 | {' | '.join(str(x * 8) for x in consistent_data()['t3']['(七)'])} |" in p.stdout


def test_one_wrong_cell_of_the_region_report_is_one_finding(county):
    p = gklint(county, "rollup", "部门", "--region-report", "县政府2023-有误.docx", "--output-format", "json")
    assert p.returncode == 1, p.stderr
    region = json.loads(p.stdout)["region"]
    (f,) = region["findings"]
    right = consistent_data()["t3"][PLANTED[0]][PLANTED[1]] * 8
    assert f["code"] == "GK605" and f["severity"] == "warning"
    assert f["message"] == (f"表三「{PLANTED[2]}」「{PLANTED[3]}」列：区域报告为 {right + 2}，3 份部门报告之和为 {right}，相差 2")
    assert (f["location"]["table"], f["location"]["row"], f["location"]["column"]) == ("T3", PLANTED[0], PLANTED[3])
    assert (f["expected"], f["found"]) == (str(right), str(right + 2))
    text = gklint(county, "rollup", "部门", "--region-report", "县政府2023-有误.docx")
    assert text.returncode == 1 and f["message"] in text.stdout
    assert f"{right + 2} → {right}" in text.stdout  # the cell drawn as `gklint check` draws it


def test_a_consistent_region_report_has_no_finding(county):
    p = gklint(county, "rollup", "部门", "--region-report", "县政府2023.docx", "--output-format", "json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["region"]["findings"] == []
    p = gklint(county, "rollup", "部门", "--region-report", "县政府2023.docx")
    assert p.returncode == 0 and "区域报告与 3 份部门报告之和一致。" in p.stdout and "GK605" not in p.stdout


def test_the_region_report_among_the_paths_is_not_added_to_itself(county, tmp_path):
    folder = tmp_path / "all"
    shutil.copytree(county / "部门", folder)
    shutil.copy(county / "县政府2023.docx", folder / "县政府2023.docx")
    p = gklint(tmp_path, "rollup", "all", "--region-report", "all/县政府2023.docx", "--output-format", "json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert len(data["reports"]) == 3 and data["region"]["findings"] == []


def test_a_garbled_cell_is_said_and_never_compared(county, tmp_path):
    shutil.copytree(county / "部门", tmp_path / "部门")
    d = _data(1, "1")
    d["t3"]["(一)"][1] = "约3"  # 表三 text, not a number
    d["t4"][0] = "约3"  # 表四's only row then has 14 numbers of 15: incomplete
    d["t3"]["(二)"][1] = ""  # a blank where the template's 0 is: 0, said
    build_docx(tmp_path / "部门" / "己局2023.docx", year=2023, agency="某县己局", data=d)
    p = gklint(tmp_path, "rollup", "部门", "--region-report", str(county / "县政府2023-有误.docx"),
               "--output-format", "json")
    data = json.loads(p.stdout)
    notes = next(x["notes"] for x in data["reports"] if x["path"].endswith("己局2023.docx"))
    assert "表三「（一）予以公开」「商业企业」列为“约3”，不是数字，未计入" in notes
    assert "表四“数量”行的数值不完整（应有 15 个），未计入" in notes
    assert any("为空白或“—”，按 0 计" in n and "（二）部分公开" in n for n in notes)
    cells = _cells(data["tables"])
    cell = cells[("T3", "(一)", "商业企业")]
    assert cell["incomplete"] and cell["not_counted"][0]["path"].endswith("己局2023.docx")
    assert cell["number"] == str(sum(consistent_data()["t3"]["(一)"][1] * f for f in FACTORS.values()))
    assert all(c["incomplete"] for k, c in cells.items() if k[0] == "T4")
    # an incomplete sum is not compared with the region's report; the other cells differ by 己局's numbers
    compared = {(f["location"]["table"], f["location"]["row"], f["location"]["column"])
                for f in data["region"]["findings"]}
    assert compared and ("T3", "(一)", "商业企业") not in compared and not any(k[0] == "T4" for k in compared)
    assert any("未与区域报告比较" in n for n in data["region"]["notes"])


def test_the_workbook_holds_the_same_totals(county, tmp_path):
    data = json.loads(gklint(county, "rollup", "报送", "--output-format", "json").stdout)
    p = gklint(county, "rollup", "报送", "--output-format", "xlsx", "-o", str(tmp_path / "汇总.xlsx"))
    assert p.returncode == 3 and "汇总了 3 份" in p.stderr
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    assert wb.sheetnames == ["表二", "表三", "表四", "报告"]
    for key, sheet in (("T2", "表二"), ("T3", "表三"), ("T4", "表四")):
        rows = list(wb[sheet].iter_rows(values_only=True))
        header = rows[0]
        for row, t_row in zip(rows[1:], data["tables"][key]["rows"], strict=True):
            assert row[0] == t_row["label"]
            for c in t_row["cells"]:
                assert Decimal(str(row[header.index(c["column"])])) == Decimal(c["number"])
    listed = {r[0]: r[3] for r in wb["报告"].iter_rows(min_row=2, values_only=True)}
    assert sorted(v for v in listed.values()) == ["已汇总"] * 3 + ["未汇总"] * 3


def test_libreoffice_opens_the_word_document_with_the_totals(county, tmp_path):
    out = tmp_path / "汇总.docx"
    p = gklint(county, "rollup", "部门", "--output-format", "docx", "-o", str(out))
    assert p.returncode == 0, p.stderr
    text = libreoffice_convert(out, "txt:Text", tmp_path)
    total = consistent_data()["t3"]["(七)"][6] * 8
    assert "表三" in text and "（七）总计" in text and str(total) in text and "24.8410" in text
    assert "行政复议" in text and "复议后起诉" in text


def test_usage_errors_and_a_terminal(county):
    p = gklint(county, "rollup", "没有这个目录")
    assert p.returncode == 2 and "没有这个目录: 文件或目录不存在" in p.stderr
    p = gklint(county, "rollup", "部门", "--region-report", "没有.docx")
    assert p.returncode == 2 and "没有.docx" in p.stderr
    p = gklint(county, "rollup", "部门", "--output-format", "pdf")
    assert p.returncode == 2
    master, slave = pty.openpty()
    try:
        p = subprocess.run([*GKLINT, "rollup", "部门", "--output-format", "docx"], cwd=county, stdout=slave,
                           stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(slave)
        os.close(master)
    assert p.returncode == 2 and "-o" in p.stderr.decode()
    p = gklint(county, "rollup", "部门", "--output-format", "xlsx", text=False)  # a pipe gets the workbook
    assert p.returncode == 0 and openpyxl.load_workbook(io.BytesIO(p.stdout)).sheetnames[0] == "表二"


def test_only_unreadable_files_exit_3_and_say_so(tmp_path):
    (tmp_path / "坏.docx").write_bytes((ROOT / "examples/report-2022.docx").read_bytes()[:3000])
    p = gklint(tmp_path, "rollup", "坏.docx")
    assert p.returncode == 3 and "坏.docx: 无法读取" in p.stderr and "没有可汇总的年度报告" in p.stderr
    assert "Traceback" not in p.stderr


def test_gk605_is_documented():
    p = gklint(ROOT, "rule", "GK605")
    assert p.returncode == 0 and p.stdout.startswith("GK605 region-total-mismatch（警告，区域汇总类规则 rollup）")
    assert "gklint rollup" in p.stdout
    p = gklint(ROOT, "rules")
    assert "GK605" in p.stdout


def test_an_editors_lock_file_is_listed_not_read(county, tmp_path):
    shutil.copy(county / "部门" / "甲局2023.docx", tmp_path / "甲局2023.docx")
    (tmp_path / "~$局2023.docx").write_bytes(b"\x00lock")
    p = gklint(tmp_path, "rollup", ".", "--output-format", "json")
    data = json.loads(p.stdout)
    assert p.returncode == 0 and len(data["reports"]) == 1
    assert [(os.path.basename(x["path"]), x["reason"]) for x in data["not_read"]] == [
        ("~$局2023.docx", "编辑器的锁定、临时或备份文件，不是报告")]
