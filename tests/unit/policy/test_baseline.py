"""Baseline: today's findings recorded, only new ones reported; the record survives edits elsewhere in
the report, and a fixed finding is listed as stale."""

import json
import shutil

import docx
import pytest
from conftest import ROOT

from gklint.cli import main

DEFECTS = ROOT / "examples" / "report-2022-defects.docx"


def check(path, *args, capsys, fmt="json"):
    code = main(["check", str(path), "--output-format", fmt, "--no-cache", *args])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if fmt == "json" else out.out)


@pytest.fixture
def draft(tmp_path, capsys):
    """A copy of the defects draft and a baseline of its findings beside it."""
    src = tmp_path / "报告.docx"
    shutil.copy(DEFECTS, src)
    code = main(["check", str(src), "--write-baseline", str(tmp_path / "gklint-baseline.json"), "--no-cache"])
    assert code == 0
    assert "写入基线" in capsys.readouterr().err
    return src


def test_baseline_records_and_accepts_todays_findings(draft, tmp_path, capsys):
    _, before = check(draft, capsys=capsys)
    found = before["files"][0]["findings"]
    data = json.loads((tmp_path / "gklint-baseline.json").read_text(encoding="utf-8"))
    assert sorted(e["code"] for e in data["entries"]) == sorted(f["code"] for f in found)
    assert {e["path"] for e in data["entries"]} == {"报告.docx"}
    assert not any("para" in e["key"] or "段" in e["key"] for e in data["entries"])
    code, out = check(draft, "--baseline", str(tmp_path / "gklint-baseline.json"), "--show-suppressed", capsys=capsys)
    assert code == 0
    f = out["files"][0]
    assert f["findings"] == []
    assert sorted(s["code"] for s in f["suppressed"]) == sorted(x["code"] for x in found)
    assert {s["by"] for s in f["suppressed"]} == {"baseline"}
    assert "baseline_stale" not in out["summary"]


def _edit(src, dst, insert_above=False, t2_value=None, fix_placeholder=False, break_t4=False):
    d = docx.Document(str(src))
    if insert_above:  # a paragraph inserted before everything: every paragraph number moves
        first = next(p for p in d.paragraphs if "统计期限" in p.text)
        first.insert_paragraph_before("（本报告经局务会审议通过。）")
        first.insert_paragraph_before("说明：数据来源于政务公开平台。")
    if t2_value is not None:  # a statistics value in 表二, far from every finding
        cell = next(c for row in d.tables[0].rows for c in row.cells if c.text.strip() == "15")
        cell.paragraphs[0].runs[0].text = t2_value
    if fix_placeholder:
        p = next(p for p in d.paragraphs if "公开政府信息" in p.text and "条" in p.text)
        for r in p.runs:
            r.text = r.text.replace("  ", "356")
        assert "公开政府信息356条" in p.text
    if break_t4:  # 未经复议直接起诉: 结果维持 2 -> 9, its total no longer adds up
        row = d.tables[2].rows[3]
        cell = row.cells[5]
        assert cell.text == "2"
        cell.paragraphs[0].runs[0].text = "9"
    d.save(str(dst))
    return dst


def test_edits_elsewhere_keep_the_match(draft, tmp_path, capsys):
    _, plain = check(draft, capsys=capsys)
    edited = _edit(draft, draft, insert_above=True, t2_value="16")
    _, now = check(edited, capsys=capsys)
    found = now["files"][0]["findings"]
    assert sorted(f["code"] for f in found) == sorted(f["code"] for f in plain["files"][0]["findings"])
    moved = {f["code"]: f["location"].get("para") for f in found}
    assert moved != {f["code"]: f["location"].get("para") for f in plain["files"][0]["findings"]}
    code, out = check(edited, "--baseline", str(tmp_path / "gklint-baseline.json"), capsys=capsys)
    assert code == 0 and out["files"][0]["findings"] == []
    assert "baseline_stale" not in out["summary"]


def test_fixed_finding_is_stale_and_new_one_is_reported(draft, tmp_path, capsys):
    _edit(draft, draft, fix_placeholder=True, break_t4=True)
    code, out = check(draft, "--baseline", str(tmp_path / "gklint-baseline.json"), capsys=capsys)
    assert code == 1
    new = out["files"][0]["findings"]
    assert [f["code"] for f in new] == ["GK304"] and new[0]["location"]["column"].startswith("未经复议直接起诉")
    stale = out["summary"]["baseline_stale"]
    assert [e["code"] for e in stale] == ["GK503"] and stale[0]["path"] == "报告.docx"
    code, text = check(draft, "--baseline", str(tmp_path / "gklint-baseline.json"), capsys=capsys, fmt="concise")
    assert "基线中有 1 个问题已不再出现" in text and "GK503" in text.split("基线中有")[1]


def test_baseline_from_config_relative_to_it(draft, tmp_path, capsys):
    (tmp_path / "gklint.toml").write_text('baseline = "gklint-baseline.json"\n', encoding="utf-8")
    code, out = check(draft, capsys=capsys)
    assert code == 0 and out["files"][0]["findings"] == []
    (tmp_path / "gklint.toml").write_text('baseline = "missing.json"\n', encoding="utf-8")
    assert main(["check", str(draft), "--no-cache"]) == 2
    assert "missing.json" in capsys.readouterr().err


def test_not_a_baseline_file_is_an_error(draft, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"entries": "x"}', encoding="utf-8")
    assert main(["check", str(draft), "--baseline", str(bad)]) == 2
    assert "不是 gklint 基线文件" in capsys.readouterr().err
    bad.write_text("not json", encoding="utf-8")
    assert main(["check", str(draft), "--baseline", str(bad)]) == 2
    assert "bad.json" in capsys.readouterr().err
