"""`gklint check` on the seeds and on single defects planted in copies of a consistent report."""

import json
import subprocess
import sys

import docx
import pytest
from conftest import seed
from docgen import build_docx, consistent_data, narrative

from gklint.run.engine import check_file

SERIOUS = ("error", "warning")


def codes(path, **kw) -> set[str]:
    return {f.code for f in check_file(str(path), **kw).findings if f.severity in SERIOUS}


@pytest.mark.parametrize("prefix,expected", [
    ("000", set()),
    ("001", {"GK401", "GK501"}),
    ("002", {"GK102"}),
    ("003", set()),
    ("004", {"GK505", "GK204", "GK104"}),
])
def test_seed_findings(prefix, expected):
    assert codes(seed(prefix)) == expected


def test_seed_details():
    f001 = {f.code: f for f in check_file(str(seed("001"))).findings}
    assert f001["GK501"].expected == "4" and f001["GK501"].found == "3"
    assert "2020年1月29日" in f001["GK401"].message
    gk102 = [f for f in check_file(str(seed("002"))).findings if f.code == "GK102"]
    assert [f.location["section"] for f in gk102] == ["二", "三"]
    six = [f for f in check_file(str(seed("004"))).findings if f.code == "GK104"]
    assert [f.location["section"] for f in six] == ["六"]


def test_consistent_report_is_clean(report_docx):
    result = check_file(str(report_docx))
    assert result.template == "gb2021" and result.report_year == 2022
    assert [f for f in result.findings if f.severity in SERIOUS] == []


def _planted(tmp_path, **kw):
    return build_docx(tmp_path / "r.docx", **kw)


def test_changed_cell(tmp_path):
    data = consistent_data()
    data["t4"][4] += 2  # 行政复议 总计
    findings = check_file(str(_planted(tmp_path, data=data))).findings
    assert {f.code for f in findings if f.severity in SERIOUS} == {"GK304"}
    f = next(f for f in findings if f.code == "GK304")
    assert f.location["column"] == "行政复议/总计"
    assert (f.expected, f.found) == ("5", "7")


def test_changed_total_breaks_all_three_table_three_identities(tmp_path):
    data = consistent_data()
    data["t3"]["(七)"][0] += 1
    findings = [f for f in check_file(str(_planted(tmp_path, data=data, text=narrative(consistent_data(), 2022))))
                .findings if f.severity in SERIOUS]
    # all three break; the one cell behind them is reported once, under the identity that totals it
    assert [f.code for f in findings] == ["GK302"]
    f = findings[0]
    assert {i["code"] for i in f.location["identities"]} == {"GK301", "GK302", "GK303"}
    assert f.location["column"] == "自然人" and f.location["row"] == "(七)"
    assert (f.found, f.expected) == ("35", "34") and "GK301" in f.message and "GK303" in f.message


def test_deleted_heading(tmp_path):
    path = _planted(tmp_path)
    d = docx.Document(str(path))
    p = next(p for p in d.paragraphs if p.text.startswith("五、"))
    p._p.getparent().remove(p._p)
    d.save(str(path))
    assert codes(path) == {"GK101"}


@pytest.mark.parametrize("date,code", [("2022年12月20日", "GK401"), ("2023年2月15日", "GK402"),
                                       ("二〇二三年二月十五日", "GK402")])
def test_dates(tmp_path, date, code):
    assert codes(_planted(tmp_path, date=date)) == {code}


def test_government_deadline_is_march(tmp_path):
    path = _planted(tmp_path, agency="某市人民政府", date="2023年3月20日")
    assert codes(path) == set()
    assert codes(path, agency_kind="department") == {"GK402"}


def test_wrong_statistical_period(tmp_path):
    assert codes(_planted(tmp_path, period_year=2021)) == {"GK403"}


def test_changed_narrative_number(tmp_path):
    text = narrative(consistent_data(), 2022)
    text["一"][1] = text["一"][1].replace("申请41件", "申请45件")
    findings = [f for f in check_file(str(_planted(tmp_path, text=text))).findings if f.severity in SERIOUS]
    assert [(f.code, f.expected, f.found) for f in findings] == [("GK501", "41", "45")]


def test_all_upheld_claim_contradicts_table(tmp_path):
    text = narrative(consistent_data(), 2022)
    text["一"].append("本年度行政复议案件均获维持。")
    assert codes(_planted(tmp_path, text=text)) == {"GK502"}


def test_blank_cell(tmp_path):
    data = consistent_data()
    data["t3"]["(三)1"][0] = ""
    findings = [f for f in check_file(str(_planted(tmp_path, data=data))).findings if f.severity in SERIOUS]
    assert [(f.code, f.location["row"], f.location["column"]) for f in findings] == [("GK205", "(三)1", "自然人")]


def test_invalid_cells(tmp_path):
    data = consistent_data()
    data["t2"]["规章"][0] = "-2"
    data["t2"]["行政许可"][0] = "约1200"
    assert codes(_planted(tmp_path, data=data)) == {"GK206"}
    assert len([f for f in check_file(str(_planted(tmp_path, data=data))).findings if f.code == "GK206"]) == 2


def test_placeholder_left_in(tmp_path):
    text = narrative(consistent_data(), 2022)
    text["一"][0] = "2022年，本局全年主动公开政府信息  条。"
    assert codes(_planted(tmp_path, text=text)) == {"GK503"}


def test_template_placeholder_text_left_in(tmp_path):
    text = narrative(consistent_data(), 2022)
    text["五"] = ["（文字描述）"]
    assert codes(_planted(tmp_path, text=text)) == {"GK503"}


def test_no_fee_statement(tmp_path):
    text = narrative(consistent_data(), 2022)
    text["六"] = ["本年度无其他需要报告的事项。"]
    assert codes(_planted(tmp_path, text=text)) == {"GK504"}


def test_2019_layout_in_a_2022_report(tmp_path):
    text = seed("003").read_text(encoding="utf-8")
    text = text.replace("2020年政府信息公开工作年度报告", "2022年政府信息公开工作年度报告")
    text = text.replace("六、其他需要报告的事项\n\n无", "六、其他需要报告的事项\n\n本年度未收取信息处理费。")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    assert codes(path) == {"GK207"}
    assert codes(seed("003")) == set()  # the same report as a 2020 report is fine


def test_2021_layout_in_a_2020_report(tmp_path):
    assert codes(_planted(tmp_path, year=2020)) == {"GK207"}


def test_json_output_and_exit_codes(tmp_path):
    clean = _planted(tmp_path)
    run = lambda *a: subprocess.run([sys.executable, "-m", "gklint", "check", *a],  # noqa: E731
                                    capture_output=True, text=True, timeout=120)
    out = run("--format", "json", str(clean), str(seed("001")))
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert [f["path"] for f in data["files"]] == [str(clean), str(seed("001"))]
    assert data["files"][1]["template"] == "gb2019" and data["files"][1]["report_year"] == 2020
    assert {f["code"] for f in data["files"][1]["findings"]} == {"GK401", "GK501"}
    assert set(data["files"][1]["findings"][0]) >= {"code", "severity", "message", "location"}
    assert run(str(clean)).returncode == 0
    assert run("--fail-on", "error", str(seed("002"))).returncode == 0  # GK102 is a warning
    assert run(str(seed("002"))).returncode == 1
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    out = run(str(bad), str(clean))
    assert out.returncode == 3 and "GK001" in out.stdout and "bad.docx" in out.stdout  # could not be read
    assert run(str(tmp_path / "missing.docx")).returncode == 2  # a usage error
    assert run(str(bad), str(tmp_path / "missing.docx")).returncode == 2  # the usage error comes first

