"""Drafts that went through a real office: the consistent report with tracked changes, content controls,
hidden text, a table of contents, text boxes, fields … (tests/helpers/drafts.py). gklint must read what Word shows."""

import datetime as dt
import hashlib
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from conftest import DATA
from drafts import DEFECTS, VARIANTS, auto_numbered, base_report, build_docx, make_variant

from gklint.run.engine import check_file
from gklint.readers import read
from gklint.readers.docx.normalise import hidden_styles, normalise_document
from gklint.readers.docx.numbering import W

# what a variant adds on purpose to what Word shows (the rest must read exactly as the base report)
EXTRA_PARAGRAPHS = {"toc": ["目录"], "tracked_paragraphs": ["下一步将加强业务培训。"],
                    "everything": ["目录", "下一步将加强业务培训。"]}
LIBREOFFICE = sorted((DATA / "libreoffice").glob("*.docx"))


@pytest.fixture(scope="module")
def drafts_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("drafts")


@pytest.fixture(scope="module")
def base(drafts_dir) -> Path:
    return base_report(drafts_dir / "base.docx")


@pytest.fixture(scope="module")
def base_view(base):
    return _view(read(str(base)))


def _view(doc) -> tuple[list[str], list[list[list[str]]]]:
    return [p.text for p in doc.paragraphs], [[[c.text for c in row] for row in t.rows] for t in doc.tables]


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _loud(findings) -> list:
    return [(f.code, f.message) for f in findings if f.severity in ("error", "warning")]


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_clean_draft_reads_as_word_shows_it(name, base, base_view, drafts_dir):
    path = make_variant(base, drafts_dir / f"{name}.docx", VARIANTS[name])
    before = _sha(path)
    result = check_file(str(path))
    assert _sha(path) == before  # the input file is never written
    assert _loud(result.findings) == []
    pars, tables = _view(result.report.document)
    base_pars, base_tables = base_view
    extra = EXTRA_PARAGRAPHS.get(name, [])
    assert [p for p in pars if p not in extra] == base_pars
    assert sorted(p for p in pars if p in extra) == sorted(extra)
    if name in ("nested_table", "textbox_in_cell"):  # their text joins the text of the cell holding them
        assert tables[0][0][0] == base_tables[0][0][0] + "注"
        tables[0][0][0] = base_tables[0][0][0]
    if name == "textbox_in_cell":
        assert tables[2][0][0] == base_tables[2][0][0] + "说明"
        tables[2][0][0] = base_tables[2][0][0]
    assert tables == base_tables
    report = result.report
    assert [s.key for s in report.sections] == list("一二三四五六")
    assert report.publication.date == dt.date(2023, 1, 20)


def test_auto_numbered_headings_and_libreoffice_fixtures(base, drafts_dir):
    for path in [auto_numbered(base, drafts_dir / "numbered.docx"), *LIBREOFFICE]:
        before = _sha(path)
        result = check_file(str(path))
        assert _sha(path) == before
        assert _loud(result.findings) == [], path.name
        assert [s.key for s in result.report.sections] == list("一二三四五六"), path.name


def test_libreoffice_saved_draft_reads_as_word_shows_it(base_view):
    """tests/helpers/drafts.py libreoffice_source saved by LibreOffice: its own spelling of moves, deletions,
    content controls, hidden text, the TOC field and the text box."""
    path = DATA / "libreoffice" / "drafts2022.docx"
    xml = zipfile.ZipFile(path).read("word/document.xml")
    assert all(tag in xml for tag in (b"<w:moveFrom ", b"<w:del ", b"<w:sdt>", b"<w:vanish/>", b"TOC",
                                      b"mc:AlternateContent"))
    result = check_file(str(path))
    assert _loud(result.findings) == []
    pars, tables = _view(result.report.document)
    assert [p for p in pars if p != "目录"] == base_view[0] and "目录" in pars
    assert tables == base_view[1]


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_defect_inside_a_construct_is_found_exactly(name, base, drafts_dir):
    """A defect planted in a tracked change or a text box gives exactly the findings of a plain report
    with the same (accepted, shown) content; what was deleted does not count."""
    edit, plain_args = DEFECTS[name]
    path = make_variant(base, drafts_dir / f"{name}.docx", edit)
    plain = build_docx(drafts_dir / f"{name}-plain.docx", **plain_args)
    found = Counter((f.code, f.severity, f.message) for f in check_file(str(path)).findings)
    expected = Counter((f.code, f.severity, f.message) for f in check_file(str(plain)).findings)
    assert expected and found == expected


def test_comments_still_read_from_the_normalised_package(base, drafts_dir):
    path = make_variant(base, drafts_dir / "comments-sdt.docx",
                        lambda d: (VARIANTS["comments"](d), VARIANTS["sdt_row"](d)))
    doc = read(str(path))
    assert sorted(c["comment"] for c in doc.comments) == ["与表三一致", "请核对数字"]
    assert doc.properties["title"] == "某市某某局2022年政府信息公开工作年度报告"


# --- paragraph numbers: as a clerk counts them in Word ---

def _word_numbers(path: Path) -> dict[str, int]:
    """Body paragraphs numbered 1.. in order, empty ones included, tables not counted."""
    d = docx.Document(str(path))
    return {p.text: k for k, p in enumerate(d.paragraphs, 1) if p.text}


def test_paragraph_numbers_do_not_count_tables(base):
    doc = read(str(base))
    word = _word_numbers(base)
    assert {p.text: p.loc.para for p in doc.paragraphs} == word
    last_heading = word["四、政府信息公开行政复议、行政诉讼情况"]
    # a table carries the number of the paragraph before it: findings sort in document order
    t4 = doc.tables[2]
    assert last_heading <= t4.loc.para < word["五、存在的主要问题及改进情况"]
    assert t4.rows[3][0].loc.table == 3


def test_text_box_paragraphs_take_their_anchor_number(base, drafts_dir):
    path = make_variant(base, drafts_dir / "tb.docx", VARIANTS["textbox_signature"])
    doc = read(str(path))
    date = next(p for p in doc.paragraphs if p.text == "2023年1月20日")
    agency = [p for p in doc.paragraphs if p.text == "某市某某局"]
    assert len(agency) == 1 and agency[0].loc.para == date.loc.para
    assert date.loc.para == _word_numbers(base)["某市某某局"]  # the anchor replaced the agency line


# --- the normalisation itself, on Word XML fragments ---

_DOC = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{}</w:body></w:document>')


def _norm(body: str, hidden: set[str] = frozenset()) -> list[str]:
    """Paragraph texts of the normalised body (None: nothing changed)."""
    from lxml import etree

    out = normalise_document(_DOC.format(body).encode(), hidden)
    if out is None:
        return None
    root = etree.fromstring(out)
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]


def R(text: str, rpr: str = "") -> str:
    return f"<w:r><w:rPr>{rpr}</w:rPr><w:t>{text}</w:t></w:r>"


def test_clean_xml_is_left_alone():
    assert _norm(f"<w:p>{R('a')}</w:p><w:tbl><w:tr><w:tc><w:p>{R('1')}</w:p></w:tc></w:tr></w:tbl>") is None


def test_other_namespace_prefix_is_normalised_too():
    xml = ('<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:body><x:p>'
           '<x:sdt><x:sdtContent><x:r><x:t>1</x:t></x:r></x:sdtContent></x:sdt><x:moveFrom><x:r><x:t>2</x:t></x:r>'
           '</x:moveFrom></x:p></x:body></x:document>')
    assert b"sdt" not in normalise_document(xml.encode()) and b">2<" not in normalise_document(xml.encode())


def test_nested_table_is_noticed_and_flattened():
    cell = "<w:tc><w:p>" + R("外") + "</w:p>{}</w:tc>"
    inner = "<w:tbl><w:tr>" + cell.format("") + cell.format("") + "</w:tr></w:tbl><w:p/>"
    assert _norm("<w:tbl><w:tr>" + cell.format(inner) + "</w:tr></w:tbl>") == ["外", "外", "外", ""]


def test_deleted_paragraph_mark_joins_the_next_paragraph_keeping_its_properties():
    from lxml import etree

    body = (f'<w:p><w:pPr><w:jc w:val="left"/><w:rPr><w:del w:id="1" w:author="a"/></w:rPr></w:pPr>{R("甲")}</w:p>'
            f'<w:bookmarkStart w:id="0" w:name="x"/><w:p><w:pPr><w:jc w:val="center"/></w:pPr>{R("乙")}</w:p>'
            f'<w:p><w:pPr><w:rPr><w:del w:id="2" w:author="a"/></w:rPr></w:pPr>{R("丙")}</w:p><w:tbl/>')
    assert _norm(body) == ["甲乙", "丙"]  # before a table there is nothing to join: the text stays
    root = etree.fromstring(normalise_document(_DOC.format(body).encode()))
    assert root.find(f".//{W}jc").get(W + "val") == "center"


def test_moves_deletions_insertions_and_property_changes_are_accepted():
    body = (f'<w:p><w:moveFromRangeStart w:id="1" w:name="m"/><w:moveFrom w:id="2">{R("旧")}</w:moveFrom>'
            f'<w:moveFromRangeEnd w:id="1"/></w:p>'
            f'<w:p><w:moveTo w:id="3">{R("移")}</w:moveTo><w:del w:id="4"><w:r><w:delText>40</w:delText></w:r>'
            f'</w:del><w:ins w:id="5">{R("41")}</w:ins>'
            + R("件", "<w:b/><w:rPrChange w:id='6'><w:rPr><w:vanish/></w:rPr></w:rPrChange>") + "</w:p>")
    assert _norm(body) == ["", "移41件"]
    from lxml import etree

    numbered = ('<w:p><w:pPr><w:numPr><w:numId w:val="1"/><w:numberingChange w:id="7" w:original="%1."/></w:numPr>'
                '<w:pPrChange w:id="8"><w:pPr/></w:pPrChange></w:pPr>' + R("甲") + "</w:p>")
    root = etree.fromstring(normalise_document(_DOC.format(numbered).encode()))
    assert not [e.tag for e in root.iter() if str(e.tag).endswith("Change")]
    assert root.find(f".//{W}numId") is not None


def test_deleted_row_is_dropped():
    row = '<w:tr>{}<w:tc><w:p>{}</w:p></w:tc></w:tr>'
    body = ("<w:tbl>" + row.format("", R("1")) + row.format('<w:trPr><w:del w:id="1" w:author="a"/></w:trPr>',
                                                          R("2")) + "</w:tbl>")
    assert _norm(body) == ["1"]


def test_hidden_runs_are_dropped_but_not_web_hidden_ones():
    body = ("<w:p>" + R("见", "<w:vanish/>") + R("A", "<w:vanish w:val='0'/>") + R("B", "<w:webHidden/>")
            + R("C", "<w:rStyle w:val='h2'/>") + "</w:p>")
    styles = ('<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              '<w:style w:type="character" w:styleId="h1"><w:rPr><w:vanish/></w:rPr></w:style>'
              '<w:style w:type="character" w:styleId="h2"><w:basedOn w:val="h1"/></w:style>'
              '<w:style w:type="character" w:styleId="v"><w:rPr><w:vanish w:val="false"/></w:rPr></w:style>'
              '</w:styles>').encode()
    assert hidden_styles(styles) == {"h1", "h2"}
    assert _norm(body, hidden_styles(styles)) == ["AB"]


def test_toc_results_go_and_other_field_results_stay():
    toc = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-3" </w:instrText></w:r>'
           '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:hyperlink w:anchor="t">' + R("一、总体情况") +
           '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGEREF t </w:instrText></w:r>'
           '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + R("1") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
           '</w:hyperlink></w:p><w:p>' + R("二、主动公开") + '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    date = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE \\@ "yyyy年M月d日" '
            '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>' + R("2023年1月20日") +
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    simple = '<w:p><w:fldSimple w:instr=" TOC \\o "><w:r><w:t>一、总体情况</w:t></w:r></w:fldSimple></w:p>'
    assert _norm(toc + date + simple) == ["", "", "2023年1月20日", ""]  # paragraphs stay: numbers do not move


def test_content_controls_custom_xml_and_smart_tags_are_unwrapped_at_every_level():
    cell = '<w:tc><w:p>{}</w:p></w:tc>'
    sdt = '<w:sdt><w:sdtPr><w:id w:val="1"/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>'
    row = "<w:tr>" + sdt.format(cell.format(sdt.format(R("1")))) + cell.format(R("2")) + "</w:tr>"
    body = ("<w:tbl>" + sdt.format(sdt.format(row)) + '<w:customXml w:element="x"><w:customXmlPr/>'
            + row + "</w:customXml></w:tbl>"
            + sdt.format(f'<w:p><w:smartTag w:element="d">{R("日")}</w:smartTag></w:p>'))
    from lxml import etree

    root = etree.fromstring(normalise_document(_DOC.format(body).encode()))
    assert [len(tr.findall(W + "tc")) for tr in root.find(f"{W}body/{W}tbl").findall(W + "tr")] == [2, 2]
    assert root.find(f".//{W}sdt") is None and root.find(f".//{W}customXml") is None
    assert _norm(body) == ["1", "2", "1", "2", "日"]


def test_alternate_content_is_read_once_and_zero_width_characters_go():
    box = '<w:txbxContent><w:p>' + R("某市某某局") + '</w:p></w:txbxContent>'
    body = (f'<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{box}</w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>'
            "<w:p>" + R("2\u200b0\ufeff") + R("\u2060件\u200d\u200c") + "</w:p>")
    assert _norm(body) == ["某市某某局", "某市某某局", "20件"]  # anchor paragraph (with the box), box, text


def test_unreadable_variant_input_stays_a_read_error(tmp_path, base):
    """The safety checks run before normalisation: a DTD in document.xml is refused, not parsed."""
    bad = tmp_path / "dtd.docx"
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "b">]>', 1)
            zout.writestr(item, data)
    result = check_file(str(bad))
    assert [f.code for f in result.findings] == ["GK001"] and "DTD" in result.findings[0].message
