"""The publication date: 发布日期, the 落款 at the end (alone, after the agency on its line, in a table cell or
a text box, a Word DATE field's result) and a date in brackets under the title."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from docgen import build_docx
from docx.oxml import parse_xml

from gklint.document import Document, Loc, Paragraph
from gklint.run.engine import check_file
from gklint.readers import read
from gklint.report.bind import _signature_date_line, bind

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TITLE = "某市某某局2022年政府信息公开工作年度报告"
BODY = ["一、总体情况", "2022年，本局全年主动公开政府信息356条。", "六、其他需要报告的事项", "本年度未收取信息处理费。"]


def _doc(lines: list[str]) -> Document:
    return Document("x.txt", "text", [Paragraph(t, Loc(line=k)) for k, t in enumerate(lines, 1)])


@pytest.mark.parametrize("line", ["临江市生态环境局\t\t2023年2月20日", "临江市生态环境局      2023年2月20日",
                                  "临江市生态环境局\u3000\u30002023年2月20日", "临江市生态环境局  2023-02-20",
                                  "临江市生态环境局\t二〇二三年二月二十日"])
def test_agency_and_date_on_one_line(line):
    assert _signature_date_line(line)
    report = bind(_doc([TITLE, *BODY, line]))
    assert report.publication.date == dt.date(2023, 2, 20) and report.publication.source == "落款"
    assert report.section("六").text == "本年度未收取信息处理费。"  # the 落款 is not content of 六


@pytest.mark.parametrize("line", ["本局于2023年2月20日召开会议", "截至 2023年2月20日，本局共收到申请3件",
                                  "会议召开于：  2023年2月20日", "临江市生态环境局2023年2月20日发布了通知"])
def test_a_sentence_with_a_date_is_not_a_signature(line):
    assert not _signature_date_line(line)
    assert bind(_doc([TITLE, *BODY, line])).publication is None


def test_signature_line_keeps_the_paragraph_above_in_section_six():
    report = bind(_doc([TITLE, *BODY, "无其他需要报告的事项", "临江市生态环境局\t2023年1月20日"]))
    assert report.section("六").paragraphs[-1].text == "无其他需要报告的事项"


def test_bracketed_date_under_the_title():
    report = bind(_doc([TITLE, "（2023年2月20日）", *BODY]))
    assert report.publication.date == dt.date(2023, 2, 20) and report.publication.source == "标题下日期"
    assert bind(_doc([TITLE, "（本报告2023年2月20日修订）", *BODY])).publication is None


def test_published_line_wins_over_the_signature():
    report = bind(_doc([TITLE, "发布日期：2023-01-15", *BODY, "临江市生态环境局", "2023年1月20日"]))
    assert report.publication.date == dt.date(2023, 1, 15) and report.publication.source == "发布日期"


def _docx(tmp_path, name: str, edit) -> str:
    path = build_docx(tmp_path / f"{name}.docx", date="")
    d = docx.Document(str(path))
    edit(d)
    d.save(str(path))
    return str(path)


def _tab_line(d):
    d.paragraphs[-1].text = "某市某某局\t\t2023年2月20日"


def _table_cell(d):
    t = d.add_table(rows=2, cols=1)
    t.cell(0, 0).text, t.cell(1, 0).text = "某市某某局", "2023年2月20日"


def _date_field(d):
    p = d.add_paragraph()
    for xml in ('<w:fldChar w:fldCharType="begin"/>', '<w:instrText xml:space="preserve"> DATE \\@ "yyyy年M月d日" </w:instrText>',
                '<w:fldChar w:fldCharType="separate"/>', '<w:t>2023年2月20日</w:t>', '<w:fldChar w:fldCharType="end"/>'):
        p._p.append(parse_xml(f"<w:r {W}>{xml}</w:r>"))


def _simple_field(d):
    d.add_paragraph()._p.append(parse_xml(
        f'<w:fldSimple {W} w:instr=" DATE "><w:r><w:t>2023年2月20日</w:t></w:r></w:fldSimple>'))


def _text_box(d):
    d.add_paragraph()._p.append(parse_xml(
        f'<w:r {W} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;height:40pt">'
        '<v:textbox><w:txbxContent><w:p><w:r><w:t>某市某某局</w:t></w:r></w:p><w:p><w:r><w:t>2023年2月20日</w:t>'
        '</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))


def _under_title(d):
    title = next(p for p in d.paragraphs if p.text.endswith("年度报告"))
    title._p.addnext(parse_xml(f"<w:p {W}><w:r><w:t>（2023年2月20日）</w:t></w:r></w:p>"))


@pytest.mark.parametrize("edit,source", [(_tab_line, "落款"), (_table_cell, "落款"), (_date_field, "落款"),
                                         (_simple_field, "落款"), (_text_box, "落款"), (_under_title, "标题下日期")])
def test_docx_dates_are_found_and_checked(tmp_path, edit, source):
    path = _docx(tmp_path, edit.__name__, edit)
    report = bind(read(path))
    assert report.publication is not None, edit.__name__
    assert (report.publication.date, report.publication.source) == (dt.date(2023, 2, 20), source)
    codes = {f.code for f in check_file(path).findings}
    assert "GK402" in codes and "GK404" not in codes  # 2月20日 is after a department's 1月31日 deadline


def test_no_date_at_all_is_still_gk404(tmp_path):
    path = build_docx(tmp_path / "nodate.docx", date="")
    codes = {f.code for f in check_file(str(path)).findings}
    assert "GK404" in codes and "GK402" not in codes


def test_signature_before_tables_attached_at_the_end(tmp_path):
    """The statistics tables attached after the 落款 (附件): the 落款 date is still found, not a cell."""
    path = build_docx(tmp_path / "attached.docx", date="2023年1月20日")
    d = docx.Document(str(path))
    body = d.element.body
    for t in d.tables:
        body.remove(t._tbl)
        body.insert(len(body) - 1, t._tbl)  # before the section properties
    d.save(str(path))
    report = bind(read(str(path)))
    assert report.publication.date == dt.date(2023, 1, 20) and report.publication.source == "落款"
