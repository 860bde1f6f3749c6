"""The Excel workbook of a check (`--output-format xlsx`, output/xlsx.py): read back with openpyxl, it says what
the JSON of the same run says, file by file and finding by finding; its cells are values, never formulas; it
opens in LibreOffice; a terminal, a missing openpyxl and a bad config are refused with a clear message."""

import io
import json
import os
import pty
import shutil
import subprocess
import sys

import openpyxl
import pytest
from conftest import ROOT, seed
from docgen import libreoffice_convert

from gklint.cli import main
from gklint.findings import describe
from gklint.output.xlsx import workbook

GKLINT = [sys.executable, "-m", "gklint"]
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def _rows(data: bytes, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return list(wb[sheet].iter_rows(values_only=True))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("报送")
    for p in (ROOT / "examples").glob("*.docx"):
        shutil.copy(p, folder / p.name)
    shutil.copy(seed("000"), folder / seed("000").name)
    (folder / "某局-损坏.docx").write_bytes((ROOT / "examples/report-2022.docx").read_bytes()[:3000])
    (folder / "README.md").write_text("# 说明\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GKLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        codes = [main(["check", str(folder), "--output-format", fmt, "-o", str(out / f"结果.{fmt}"), "--quiet"])
                 for fmt in ("json", "xlsx")]
    assert codes == [3, 3]  # the damaged file
    return {"json": json.loads((out / "结果.json").read_text(encoding="utf-8")), "xlsx": out / "结果.xlsx"}


def test_summary_sheet_agrees_with_the_json_file_by_file(run):
    rows = _rows(run["xlsx"].read_bytes(), "汇总")
    assert rows[0] == ("文件", "机关", "年度", "状态", "错误", "警告", "提示", "主要问题代码")
    by_path = {r[0]: r for r in rows[1:]}
    files = run["json"]["files"]
    assert len(rows) - 1 == len(files) and set(by_path) == {f["path"] for f in files}
    for f in files:
        row = by_path[f["path"]]
        assert (row[1] or "", row[2]) == (f["agency"], f["report_year"])
        assert list(row[4:7]) == [f["counts"]["error"], f["counts"]["warning"], f["counts"]["info"]]
        codes = sorted({x["code"] for x in f["findings"]}, key=lambda c: (-sum(x["code"] == c for x in f["findings"]), c))
        assert (row[7] or "").split() == codes[:5]
    status = {os.path.basename(p): r[3] for p, r in by_path.items()}
    assert status["某局-损坏.docx"] == "无法读取" and status["README.md"] == "非年报"
    assert status["report-2022.docx"] == "通过" and status["report-2022-defects.docx"] == "有错误"


def test_findings_sheet_has_one_row_per_finding_of_the_json(run):
    rows = _rows(run["xlsx"].read_bytes(), "问题")
    assert rows[0] == ("文件", "机关", "年度", "代码", "级别", "说明", "位置", "应为", "实际")
    want = [(f["path"], f["agency"] or None, f["report_year"], x["code"], SEVERITY[x["severity"]], x["message"],
             describe(x["location"]) or None, x.get("expected") or None, x.get("found") or None)
            for f in run["json"]["files"] for x in f["findings"]]
    assert rows[1:] == want and len(want) > 5


def test_header_is_bold_frozen_and_filtered(run):
    wb = openpyxl.load_workbook(run["xlsx"])
    for ws in wb:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
        assert all(c.font.bold for c in ws[1])
        assert ws.column_dimensions["A"].width > 10


def test_text_that_looks_like_a_formula_stays_text(tmp_path, monkeypatch):
    (tmp_path / "=HYPERLINK(x).txt").write_text(seed("000").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["check", "=HYPERLINK(x).txt", "--output-format", "xlsx", "-o", "out.xlsx", "--quiet"])
    wb = openpyxl.load_workbook("out.xlsx")
    cells = [c for ws in wb for row in ws.iter_rows(min_row=2) for c in row if c.column == 1]
    assert cells and all(c.value == "=HYPERLINK(x).txt" and c.data_type == "s" for c in cells)


def test_hostile_values_are_stored_as_plain_strings():
    f = {"path": "a.txt", "agency": "+cmd|' /C calc'!A0", "report_year": 2023, "template": "gb2021",
         "findings": [{"code": "GK503", "severity": "error", "message": '=HYPERLINK("http://x","点")\x1b\x00结束',
                       "location": {"line": 3}, "expected": "@SUM(A1)", "found": "-1+2"}]}
    rows = _rows(workbook([f]), "问题")
    assert rows[1][1:] == ("+cmd|' /C calc'!A0", 2023, "GK503", "错误", '=HYPERLINK("http://x","点")结束', "第3行",
                           "@SUM(A1)", "-1+2")
    wb = openpyxl.load_workbook(io.BytesIO(workbook([f])))
    assert {c.data_type for row in wb["问题"].iter_rows(min_row=2) for c in row if isinstance(c.value, str)} == {"s"}


def test_missing_agencies_and_submission_times():
    files = [{"path": "甲.docx", "agency": "甲局", "report_year": 2023, "template": "gb2021", "findings": [],
              "counts": {"error": 0, "warning": 0, "info": 0}, "submitted_at": "2024-01-20T09:00:00+08:00",
              "submission_id": "s1"},
             {"path": "乙.docx", "agency": "乙局", "report_year": 2023, "template": "gb2021",
              "findings": [{"code": "GK405", "severity": "warning", "message": "年度不符", "location": {}}]}]
    rows = _rows(workbook(files, ["丙局"]), "汇总")
    assert rows[0][-1] == "提交时间"
    assert rows[1] == ("甲.docx", "甲局", 2023, "通过", 0, 0, 0, None, "2024-01-20T09:00:00+08:00")
    assert rows[2][3:8] == ("仅有警告", 0, 1, 0, "GK405")
    assert rows[3][1] == "丙局" and rows[3][3] == "未提交"
    assert "提交时间" not in _rows(workbook(files[1:]), "汇总")[0]


def test_the_same_content_gives_the_same_bytes(run):
    files = run["json"]["files"]
    assert workbook(files, ["丙局"]) == workbook(files, ["丙局"])


def test_a_terminal_is_refused_a_pipe_gets_the_workbook(tmp_path):
    report = str(ROOT / "examples/report-2022.docx")
    master, slave = pty.openpty()
    try:
        p = subprocess.run([*GKLINT, "check", report, "--output-format", "xlsx"], stdout=slave,
                           stderr=subprocess.PIPE, timeout=120, cwd=tmp_path)
    finally:
        os.close(slave)
        os.close(master)
    assert p.returncode == 2 and "-o" in p.stderr.decode() and "终端" in p.stderr.decode()
    p = subprocess.run([*GKLINT, "check", report, "--output-format", "xlsx"], capture_output=True, timeout=120,
                       cwd=tmp_path)
    assert p.returncode == 0 and _rows(p.stdout, "汇总")[1][3] == "通过"


def test_without_openpyxl_one_clear_message(tmp_path):
    code = ("import sys; sys.modules['openpyxl'] = None; from gklint.cli import main; "
            f"sys.exit(main(['check', {str(ROOT / 'examples/report-2022.docx')!r}, '--output-format', 'xlsx', "
            "'-o', 'out.xlsx']))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert p.returncode == 2 and "pip install 'gklint[xlsx]'" in p.stderr and "Traceback" not in p.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_config_output_format_xlsx(tmp_path):
    shutil.copy(ROOT / "examples/report-2022.docx", tmp_path / "r.docx")
    (tmp_path / "gklint.toml").write_text('output-format = "xlsx"\n', encoding="utf-8")
    p = subprocess.run([*GKLINT, "check", "r.docx", "-o", "r.xlsx"], capture_output=True, timeout=120, cwd=tmp_path)
    assert p.returncode == 0 and _rows((tmp_path / "r.xlsx").read_bytes(), "汇总")[1][0] == "r.docx"
    (tmp_path / "gklint.toml").write_text('output-format = "xls"\n', encoding="utf-8")
    p = subprocess.run([*GKLINT, "check", "r.docx", "-o", "r2.xlsx"], capture_output=True, text=True, timeout=120,
                       cwd=tmp_path)
    assert p.returncode == 2 and "xlsx" in p.stderr and not (tmp_path / "r2.xlsx").exists()


def test_libreoffice_opens_the_workbook(run, tmp_path):
    assert shutil.which("soffice"), "LibreOffice is installed where the tests run (.ci/run installs it)"
    # csv of the first sheet: 汇总, in UTF-8 (filter options 44,34,76: comma, quote, UTF-8)
    text = libreoffice_convert(run["xlsx"], 'csv:Text - txt - csv (StarCalc):44,34,76', tmp_path)
    assert "某县市场监督管理局" in text and "无法读取" in text
