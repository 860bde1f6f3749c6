"""Real .docx files: reports filled into the official template with python-docx, saved by LibreOffice,
and edited at the XML level for the merge spellings docx2python gets wrong."""

import datetime as dt
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from conftest import DATA
from docgen import T3_COLS, T4_COLS, build_docx, consistent_data, number_headings

from gklint.readers import read
from gklint.readers.docx.reader import _MARKERS
from gklint.report.bind import bind

LIBREOFFICE = DATA / "libreoffice"


def assert_values(report, data):
    t3 = report.tables["T3"]
    assert t3.missing_rows == [] and t3.missing_columns == []
    for row_key, values in data["t3"].items():
        row = t3.rows[row_key]
        assert not row.incomplete, row_key
        assert [row.value(c).number for c in T3_COLS] == [Decimal(v) for v in values], row_key
    t2 = report.tables["T2"]
    for row_key, values in data["t2"].items():
        assert [c.value.number for c in t2.rows[row_key].cells.values()] == [Decimal(str(v)) for v in values]
    t4 = report.tables["T4"].rows["数量"]
    assert [t4.value(c).number for c in T4_COLS] == [Decimal(v) for v in data["t4"]]


def rewrite(src: Path, dst: Path, edit) -> Path:
    """Copy a .docx, passing word/document.xml through edit(str) -> str."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
    return dst


def test_filled_template_extracts_exactly(report_docx):
    report = bind(read(str(report_docx)))
    assert report.year == 2022 and report.agency == "某市某某局"
    assert report.layout == "gb2021"
    assert report.publication.date == dt.date(2023, 1, 20) and report.publication.source == "落款"
    assert (report.period.start, report.period.end) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert [(s.key, s.number) for s in report.sections] == [(k, k) for k in "一二三四五六"]
    assert report.section("六").text == "2022年本局未收取信息处理费。"  # the 落款 is not part of 六
    assert_values(report, consistent_data())


def test_other_numbers_are_extracted_too(tmp_path):
    data = consistent_data()
    data["t3"]["(三)7"] = [3, 1, 0, 0, 0, 2, 6]
    data["t2"]["行政事业性收费"] = ["0.5"]
    data["t4"] = list(range(15))
    report = bind(read(str(build_docx(tmp_path / "r.docx", year=2023, data=data))))
    assert report.year == 2023
    assert_values(report, data)


@pytest.mark.parametrize("name", ["report2022.docx", "numbered2022.docx"])
def test_libreoffice_saved_fixtures(name):
    report = bind(read(str(LIBREOFFICE / name)))
    assert_values(report, consistent_data())
    assert [(s.key, s.number) for s in report.sections] == [(k, k) for k in "一二三四五六"]


def test_libreoffice_numbering_is_rendered():
    doc = read(str(LIBREOFFICE / "numbered2022.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert "一、总体情况" in texts and "（一）主动公开" in texts and "（二）依申请公开" in texts
    assert "六、其他需要报告的事项" in texts
    assert not any("--" in t for t in texts)


@pytest.mark.parametrize("via_style", [False, True])
def test_word_auto_numbered_headings(report_docx, tmp_path, via_style):
    path = number_headings(report_docx, tmp_path / "n.docx", via_style=via_style,
                           subheadings=["主动公开", "依申请公开"])
    doc = read(str(path))
    heads = [p for p in doc.paragraphs if p.auto_number]
    assert [p.text for p in heads][:4] == ["一、总体情况", "（一）主动公开", "（二）依申请公开", "二、主动公开政府信息情况"]
    report = bind(doc)
    assert [(s.key, s.number) for s in report.sections] == [(k, k) for k in "一二三四五六"]


def test_both_vmerge_spellings_give_the_same_grid(report_docx, tmp_path):
    assert "<w:vMerge w:val=\"continue\"/>" in zipfile.ZipFile(report_docx).read("word/document.xml").decode()
    bare = rewrite(report_docx, tmp_path / "bare.docx", lambda x: x.replace('<w:vMerge w:val="continue"/>', "<w:vMerge/>"))
    a, b = read(str(report_docx)), read(str(bare))
    kinds = lambda d: [[c.kind for c in row] for t in d.tables for row in t.rows]  # noqa: E731
    assert kinds(a) == kinds(b)
    assert "v" in {k for row in kinds(a) for k in row}
    assert_values(bind(b), consistent_data())


def test_phantom_grid_column_is_dropped(report_docx, tmp_path):
    def add_phantom(xml: str) -> str:
        # table 四 is the last table: one 1-twip grid column and an empty cell closing each row
        head, sep, t4 = xml.rpartition("<w:tbl>")
        t4 = t4.replace("</w:tblGrid>", '<w:gridCol w:w="1"/></w:tblGrid>', 1)
        t4 = t4.replace("</w:tr>", '<w:tc><w:tcPr><w:tcW w:w="1" w:type="dxa"/></w:tcPr><w:p/></w:tc></w:tr>')
        return head + sep + t4
    path = rewrite(report_docx, tmp_path / "phantom.docx", add_phantom)
    with zipfile.ZipFile(path) as z:
        assert z.read("word/document.xml").count(b'<w:gridCol w:w="1"/>') == 1
    doc = read(str(path))
    assert {len(row) for row in doc.tables[-1].rows} == {15}
    assert_values(bind(doc), consistent_data())


def test_grid_before_keeps_cells_in_their_columns(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for c, text in enumerate(["0-0", "0-1", "0-2"]):
        t.rows[0].cells[c].text = text
    tr = t.rows[1]._tr
    tr.remove(tr.tc_lst[0])
    cells = tr.tc_lst
    for tc, text in zip(cells, ["1-1", "1-2"]):
        tc.xpath("./w:p")[0].append(docx.oxml.parse_xml(
            f'<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:t>{text}</w:t></w:r>'))
    trpr = tr.get_or_add_trPr()
    trpr.append(docx.oxml.parse_xml(
        '<w:gridBefore xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:val="1"/>'))
    d.save(str(tmp_path / "gb.docx"))
    table = read(str(tmp_path / "gb.docx")).tables[0]
    assert [c.text for c in table.rows[1]] == ["", "1-1", "1-2"]
    assert [c.kind for c in table.rows[1]] == ["x", "o", "o"]


def test_core_properties_in_beijing_time_and_comments(report_docx, tmp_path):
    d = docx.Document(str(report_docx))
    d.core_properties.created = dt.datetime(2021, 1, 20, 9, 30)
    d.core_properties.modified = dt.datetime(2021, 1, 28, 17, 5)
    target = next(p for p in d.paragraphs if "统计期限" in p.text)
    d.add_comment(target.runs, text="请核对统计期限", author="审核人")
    d.save(str(tmp_path / "c.docx"))
    doc = read(str(tmp_path / "c.docx"))
    assert doc.properties["created"] == "2021-01-20T17:30:00+08:00"
    assert doc.properties["modified"] == "2021-01-29T01:05:00+08:00"  # 17:05Z is past midnight in Beijing
    assert doc.comments and doc.comments[0]["comment"] == "请核对统计期限"
    assert doc.comments[0]["author"] == "审核人"


def test_hyperlink_markup_is_not_in_the_text(report_docx, tmp_path):
    from docx.opc.constants import RELATIONSHIP_TYPE

    d = docx.Document(str(report_docx))
    p = next(p for p in d.paragraphs if "信息处理费" in p.text)
    rid = d.part.relate_to("https://www.example.gov.cn/", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    p._p.append(docx.oxml.parse_xml(
        '<w:hyperlink xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        f'r:id="{rid}"><w:r><w:t>门户网站</w:t></w:r></w:hyperlink>'))
    d.save(str(tmp_path / "h.docx"))
    texts = [p.text for p in read(str(tmp_path / "h.docx")).paragraphs]
    assert "2022年本局未收取信息处理费。门户网站" in texts


@pytest.mark.parametrize("raw,clean", [
    ("主动公开政府信息1234条----footnote1----，其中", "主动公开政府信息1234条，其中"),
    ("见附图----media/image1.png----。", "见附图。"),
    ('<a href="http://x.gov.cn">网站</a>', "网站"),
    ("尾注----endnote2----完", "尾注完"),
])
def test_docx2python_markers_are_stripped(raw, clean):
    assert _MARKERS.sub("", raw) == clean


def test_template_itself_is_read_without_values():
    report = bind(read(str(DATA / "templates" / "gb2021_official_template.docx")))
    assert report.layout == "gb2021"
    assert [s.key for s in report.sections] == list("一二三四五六")
    row = report.tables["T3"].rows["一"]
    assert not row.incomplete and {c.value.kind for c in row.cells.values()} == {"blank"}
    assert re.fullmatch(r"(（文字描述.*）)?", report.section("六").text)


def test_template_copy_is_not_modified(tmp_path):
    src = DATA / "templates" / "gb2021_official_template.docx"
    copy = shutil.copy(src, tmp_path / "t.docx")
    before = Path(copy).read_bytes()
    read(str(copy))
    assert Path(copy).read_bytes() == before
