"""A statistics table split in two (page break, 续表, a PDF converted to Word): header rows printed again
are dropped, a row cut by the break is joined, and the next real table is never swallowed."""

from __future__ import annotations

import copy

import docx
from docx.oxml.ns import qn
from docgen import build_docx, consistent_data

from gklint.run.engine import check_file
from gklint.readers import read
from gklint.report.bind import bind

HEADER_ROWS = 3  # 表三's header in the official template


def _clear(cell_el) -> None:
    for t in cell_el.iter(qn("w:t")):
        t.text = ""


def split_table(src, dst, index: int, at: int, header: int = HEADER_ROWS, caption: str | None = "续表",
                cut_row: str | None = None):
    """Cut table `index` before grid row `at` into two table objects, the second starting with the first
    `header` rows printed again, with an optional caption paragraph between. cut_row="values" leaves the
    label of row `at - 1` in part 1 and its numbers in part 2; "label" splits the label text itself."""
    d = docx.Document(str(src))
    tbl = d.tables[index]._tbl
    rows = tbl.findall(qn("w:tr"))
    second = copy.deepcopy(tbl)
    rows2 = second.findall(qn("w:tr"))
    for tr in rows[at:]:
        tbl.remove(tr)
    for tr in rows2[header:at]:
        second.remove(tr)
    if cut_row:
        last, first = copy.deepcopy(rows[at - 1]), copy.deepcopy(rows[at - 1])
        cells_last, cells_first = last.findall(qn("w:tc")), first.findall(qn("w:tc"))
        n_labels = len(cells_last) - 7
        for k, (a, b) in enumerate(zip(cells_last, cells_first)):
            if k < n_labels:
                if cut_row == "label" and k == n_labels - 1:
                    ts = [t for t in a.iter(qn("w:t")) if t.text]
                    text = "".join(t.text for t in ts)
                    for t in ts[1:]:
                        t.text = ""
                    ts[0].text = text[:3]
                    tb = [t for t in b.iter(qn("w:t")) if t.text]
                    for t in tb[1:]:
                        t.text = ""
                    tb[0].text = text[3:]
                else:
                    _clear(b)
            else:
                _clear(a if cut_row == "values" else b)
        tbl.remove(tbl.findall(qn("w:tr"))[-1])
        tbl.append(last)
        second.insert(list(second).index(second.findall(qn("w:tr"))[header - 1]) + 1, first)
    for tr in second.findall(qn("w:tr"))[header:header + 1]:  # a merged cell restarts on the new page
        for vm in tr.iter(qn("w:vMerge")):
            vm.set(qn("w:val"), "restart")
    anchor = tbl
    if caption:
        p = copy.deepcopy(d.paragraphs[-1]._p)
        for t in p.iter(qn("w:t")):
            t.text = ""
        p.findall(qn("w:r"))[0].find(qn("w:t")).text = caption if p.findall(qn("w:r")) else None
        tbl.addnext(p)
        anchor = p
    anchor.addnext(second)
    d.save(str(dst))
    return dst


def _t3(path):
    report = bind(read(str(path)))
    return report.tables["T3"]


def _values(bt):
    return {k: [str(c.value.number) for c in r.cells.values()] for k, r in bt.rows.items() if not r.incomplete}


def test_header_repeated_after_a_page_break_is_not_data(tmp_path):
    whole = build_docx(tmp_path / "whole.docx")
    split = split_table(whole, tmp_path / "split.docx", 1, 12)
    doc = read(str(split))
    assert len(doc.tables) == 4 and any(p.text == "续表" for p in doc.paragraphs)
    bt = _t3(split)
    assert not bt.missing_rows and not bt.extra_rows and not any(r.incomplete for r in bt.rows.values())
    assert _values(bt) == _values(_t3(whole))
    # the rows of part 2 are located in the second table object
    assert bt.rows["(七)"].cells["总计"].loc.table == 3
    assert str(bt.rows["(七)"].cells["总计"].loc).startswith("表三（续）")
    assert str(bt.rows["一"].cells["总计"].loc).startswith("表三第")
    codes = {f.code for f in check_file(str(split)).findings}
    assert not codes & {"GK202", "GK204", "GK301", "GK302", "GK303", "GK305"}, codes


def test_split_table_still_checks_its_identities(tmp_path):
    data = consistent_data()
    data["t3"]["(七)"][0] += 1  # a wrong （七）总计 in part 2
    src = build_docx(tmp_path / "whole.docx", data=data)
    split = split_table(src, tmp_path / "split.docx", 1, 12, caption=None)
    findings = check_file(str(split)).findings
    codes = [f.code for f in findings]
    assert "GK302" in codes and "GK204" not in codes, codes
    f = next(f for f in findings if f.code == "GK302")
    assert f.location["table_name"] == "表三（续）" and (f.found, f.expected) == ("35", "34")
    # the drawing lists the rows of both parts in document order
    from gklint.output.full import finding_block
    text = "\n".join("".join(t for t, _ in line) for line in finding_block(f))
    drawn = text[text.index("┌"):]
    order = [drawn.index(label) for label in ("本年新收", "上年结转", "（一）予以公开", "6.属于四类过程性信息", "（七）总计")]
    assert order == sorted(order)


def test_header_in_the_signature_does_not_make_a_new_table(tmp_path):
    """Part 2 repeats 申请人情况 (表三's signature) and comes straight after part 1, no caption."""
    split = split_table(build_docx(tmp_path / "w.docx"), tmp_path / "s.docx", 1, 20, caption=None)
    report = bind(read(str(split)))
    assert set(report.tables) == {"T2", "T3", "T4"}
    assert not report.tables["T3"].missing_rows and not report.tables["T4"].missing_rows


def test_row_cut_by_the_break_is_joined(tmp_path):
    whole = build_docx(tmp_path / "whole.docx")
    for mode in ("values", "label"):
        split = split_table(whole, tmp_path / f"{mode}.docx", 1, 13, cut_row=mode)
        bt = _t3(split)
        assert not bt.missing_rows and not bt.extra_rows, (mode, bt.missing_rows, bt.extra_rows)
        assert _values(bt) == _values(_t3(whole)), mode
        assert not any(r.incomplete for r in bt.rows.values()), mode


def test_next_real_table_is_not_swallowed(tmp_path):
    """表四 right after 表三 with no heading between is bound on its own."""
    whole = build_docx(tmp_path / "whole.docx")
    d = docx.Document(str(whole))
    for p in d.paragraphs:
        if p.text.startswith("四、"):
            p._p.getparent().remove(p._p)
    d.save(str(tmp_path / "noheading.docx"))
    report = bind(read(str(tmp_path / "noheading.docx")))
    assert _values(report.tables["T4"]) == _values(bind(read(str(whole))).tables["T4"])
    assert _values(report.tables["T3"]) == _values(bind(read(str(whole))).tables["T3"])


def test_header_printed_again_inside_one_table_object(tmp_path):
    whole = build_docx(tmp_path / "whole.docx")
    d = docx.Document(str(whole))
    tbl = d.tables[1]._tbl
    rows = tbl.findall(qn("w:tr"))
    for k, tr in enumerate(rows[:HEADER_ROWS]):
        rows[12].addprevious(copy.deepcopy(tr))
    d.save(str(tmp_path / "inner.docx"))
    bt = _t3(tmp_path / "inner.docx")
    assert not bt.missing_rows and not bt.extra_rows and not any(r.incomplete for r in bt.rows.values())
    assert _values(bt) == _values(_t3(whole))


def test_header_laid_out_differently_on_the_next_page(tmp_path):
    """Part 2 prints only the column headings, regrouped into one row (a PDF converted to Word); it follows
    a 续表 caption and is still the same table."""
    whole = build_docx(tmp_path / "whole.docx")
    split = split_table(whole, tmp_path / "split.docx", 1, 12)
    d = docx.Document(str(split))
    second = d.tables[2]._tbl
    first_row, second_row = second.findall(qn("w:tr"))[:2]
    second.remove(first_row)  # the 勾稽关系 note and 申请人情况 are not printed again
    for t in second_row.iter(qn("w:t")):
        if t.text and "法人" in t.text:
            t.text = ""  # and the group heading is left out: the row reads 自然人 … 总计
    d.save(str(split))
    rows = [r for r in read(str(split)).tables[2].rows]
    assert [c.text for c in rows[0] if c.text] == ["自然人", "总计"]
    bt = _t3(split)
    assert not bt.missing_rows and not bt.extra_rows and not any(r.incomplete for r in bt.rows.values())
    assert _values(bt) == _values(_t3(whole))


def test_a_table_after_a_heading_is_never_merged(tmp_path):
    """表四 printed with 表三's header words would still be 表四: a section heading separates them."""
    report = bind(read(str(build_docx(tmp_path / "whole.docx"))))
    assert report.tables["T4"].rows["数量"].cells["行政复议/总计"].loc.table_name == "表四"


def test_text_report_with_a_continued_table(tmp_path):
    """A .txt report whose 表三 goes on after a '续表' line with its header printed again."""
    from conftest import ROOT

    lines = (ROOT / "rules" / "cases" / "gb2021-2022.txt").read_text(encoding="utf-8").split("\n")
    header = [line for line in lines if line.startswith("（本列数据的勾稽关系")]
    at = next(k for k, line in enumerate(lines) if "5.属于三类内部事务信息" in line)
    for name, extra in (("caption", ["", "续表", *header]), ("inner", header)):
        path = tmp_path / f"{name}.txt"
        path.write_text("\n".join(lines[:at] + extra + lines[at:]), encoding="utf-8")
        findings = check_file(str(path)).findings
        assert findings == [], (name, [(f.code, f.message) for f in findings])


def test_row_cut_by_a_header_printed_inside_the_same_table(tmp_path):
    whole = build_docx(tmp_path / "whole.docx")
    d = docx.Document(str(whole))
    tbl = d.tables[1]._tbl
    rows = tbl.findall(qn("w:tr"))
    label_half, value_half = rows[12], copy.deepcopy(rows[12])
    cells_l, cells_v = label_half.findall(qn("w:tc")), value_half.findall(qn("w:tc"))
    n_labels = len(cells_l) - 7
    for k, (a, b) in enumerate(zip(cells_l, cells_v)):
        _clear(a if k >= n_labels else b)  # label above the repeated header, numbers below it
    for tr in rows[:HEADER_ROWS]:
        label_half.addnext(copy.deepcopy(tr))
    anchor = label_half
    for _ in range(HEADER_ROWS):
        anchor = anchor.getnext()
    anchor.addnext(value_half)
    d.save(str(tmp_path / "cut.docx"))
    assert len(read(str(tmp_path / "cut.docx")).tables[1].rows) == len(rows) + HEADER_ROWS + 1
    bt = _t3(tmp_path / "cut.docx")
    assert not bt.missing_rows and not bt.extra_rows and not any(r.incomplete for r in bt.rows.values())
    assert _values(bt) == _values(_t3(whole))
