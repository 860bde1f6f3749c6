"""One wrong cell, one finding: a cell that explains several failing identities is reported once with its
correction; identities that cannot be evaluated are summed up once per table (GK305)."""

from __future__ import annotations

import docx
from docgen import build_docx, consistent_data, narrative

from gklint.run.engine import check_file


def _check(tmp_path, data, name="r.docx"):
    path = build_docx(tmp_path / name, data=data, text=narrative(consistent_data(), 2022))
    return check_file(str(path)).findings


def _identity(findings):
    return [f for f in findings if f.code in ("GK301", "GK302", "GK303", "GK304")]


def test_planted_36_instead_of_35_is_one_finding_on_that_cell(tmp_path):
    data = consistent_data()
    assert data["t3"]["一"][0] == 35
    data["t3"]["一"][0] = 36  # breaks the 自然人 column balance (GK301) and the 一 row total (GK303)
    found = _identity(_check(tmp_path, data))
    assert len(found) == 1
    f = found[0]
    assert f.code == "GK301" and f.severity == "error"
    assert (f.found, f.expected) == ("36", "35")
    assert f.location["row"] == "一" and f.location["column"] == "自然人"
    assert {i["code"] for i in f.location["identities"]} == {"GK301", "GK303"}
    assert "GK303" in f.message and "改为 35" in f.message and f.message.startswith("表三")
    cells = {(c["row"], c["column"]) for c in f.location["cells"]}
    assert {("一", "自然人"), ("一", "总计"), ("四", "自然人"), ("一", "商业企业")} <= cells


def test_a_total_cell_takes_the_code_of_the_identity_it_totals(tmp_path):
    data = consistent_data()
    data["t3"]["(一)"][6] += 1  # (一)予以公开 总计: its row total (GK303) and the 总计 column's (七) (GK302)
    found = _identity(_check(tmp_path, data))
    assert [(f.code, f.location["row"], f.location["column"], f.expected) for f in found] == \
        [("GK303", "(一)", "总计", "24")]


def test_independent_errors_stay_separate(tmp_path):
    data = consistent_data()
    data["t3"]["一"][0] = 36
    data["t4"][4] += 2  # 行政复议 总计
    found = _identity(_check(tmp_path, data))
    assert sorted(f.code for f in found) == ["GK301", "GK304"]
    gk304 = next(f for f in found if f.code == "GK304")
    assert gk304.message.startswith("表四「行政复议」") and "identities" not in gk304.location


def test_no_grouping_when_the_change_would_break_an_identity_that_holds(tmp_path):
    data = consistent_data()
    data["t3"]["(七)"][0] += 1
    data["t3"]["(一)"][0] += 1  # (七) = sum of results still holds for 自然人
    found = _identity(_check(tmp_path, data))
    assert sorted((f.code, f.location["identity"]) for f in found) == \
        [("GK301", "自然人"), ("GK303", "(一)"), ("GK303", "(七)")]
    assert not any("identities" in f.location for f in found)


def test_no_two_corrections_for_one_cell(tmp_path):
    data = consistent_data()
    data["t3"]["(七)"][0] += 1
    data["t3"]["(七)"][6] += 2
    found = _identity(_check(tmp_path, data))
    assert len(found) >= 3
    corrections: dict = {}
    for f in found:
        if f.expected is not None:
            corrections.setdefault((f.location["row"], f.location["column"]), set()).add(f.expected)
    assert all(len(v) == 1 for v in corrections.values()), corrections
    # (七)总计 would be 39 for GK302 and 40 for GK303: neither is offered
    on_total = [f for f in found if (f.location["row"], f.location["column"]) == ("(七)", "总计")]
    assert len(on_total) == 2 and all(f.expected is None for f in on_total)


def test_blank_cell_identities_summed_up_once_and_the_others_still_checked(tmp_path):
    data = consistent_data()
    data["t3"]["(七)"][0] = None  # blank
    data["t3"]["一"][0] = 36
    findings = _check(tmp_path, data)
    codes = [f.code for f in findings]
    assert codes.count("GK305") == 1 and "GK205" in codes
    gk305 = next(f for f in findings if f.code == "GK305")
    assert gk305.severity == "info"
    assert gk305.message == "表三：3 项勾稽关系未能检查（「（七）总计」行「自然人」列为空白）"
    assert {(n["code"], n["identity"]) for n in gk305.location["not_evaluated"]} == \
        {("GK301", "自然人"), ("GK302", "自然人"), ("GK303", "(七)")}
    # the 一 row total does not involve the blank cell: still checked, and it fails
    assert [(f.code, f.location["identity"]) for f in _identity(findings)] == [("GK303", "一")]


def test_table_with_nothing_readable_is_one_finding_and_a_missing_table_none(tmp_path):
    data = consistent_data()
    data["t4"] = [None] * 15
    findings = _check(tmp_path, data)
    gk305 = [f for f in findings if f.code == "GK305"]
    assert len(gk305) == 1 and gk305[0].message.startswith("表四：全部 3 项勾稽关系未能检查")
    path = build_docx(tmp_path / "no_t4.docx")
    d = docx.Document(str(path))
    d.tables[2]._tbl.getparent().remove(d.tables[2]._tbl)
    d.save(str(path))
    codes = [f.code for f in check_file(str(path)).findings]
    assert "GK201" in codes and "GK305" not in codes


def test_selecting_any_of_the_grouped_codes_keeps_the_finding(tmp_path, capsys):
    import json

    from gklint.cli import main

    data = consistent_data()
    data["t3"]["一"][0] = 36  # one finding, coded GK301, that also stands for GK303
    path = build_docx(tmp_path / "r.docx", data=data, text=narrative(consistent_data(), 2022))
    for select, kept in (("GK303", True), ("GK301", True), ("GK304", False)):
        main(["check", str(path), "--select", select, "--output-format", "json", "--no-cache"])
        codes = [f["code"] for f in json.loads(capsys.readouterr().out)["files"][0]["findings"]]
        assert (codes == ["GK301"]) is kept, (select, codes)
