"""The document.xml gklint hands docx2python is slimmed (run formatting, borders, widths dropped: ~60 % of a
template report's elements). docx2python must read from it exactly what it reads from the original: every
paragraph's text and runs, list positions, styles, the tables' shape, comments — on files made every way
gklint meets them: the template filled by python-docx, saved by LibreOffice, converted from PDF and web pages,
and every Word-draft construct (tracked changes, content controls, text boxes, fields …)."""

import io
import warnings
from pathlib import Path

import pytest
from conftest import DATA
from drafts import VARIANTS, base_report, make_variant
from lxml import etree

from gklint.readers.docx.normalise import slim
from gklint.readers.docx.package import DOCUMENT, open_package
from gklint.readers.docx.reader import _with_document

FILES = sorted((DATA / "converted").glob("*.docx")) + sorted((DATA / "libreoffice").glob("*.docx"))
DRAFTS = ["everything", "tracked_cell", "sdt_row", "toc", "textbox_signature", "fields", "form_fields", "footnotes"]


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("drafts")
    base = base_report(d / "base.docx")
    return {"base": base, **{n: make_variant(base, d / f"{n}.docx", VARIANTS[n]) for n in DRAFTS}}


def what_docx2python_reads(pkg, xml: bytes):
    from docx2python import docx2python

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with docx2python(io.BytesIO(_with_document(pkg, xml)), duplicate_merged_cells=False) as dx:
            return [[[[(p.style, p.lineage, p.list_position, [str(r) for r in p.runs]) for p in cell] for cell in row]
                     for row in block] for block in dx.body_pars], dx.comments


def check_same(path: Path) -> int:
    pkg = open_package(str(path))
    original = pkg.parts[DOCUMENT]
    slimmed = slim(original)
    assert what_docx2python_reads(pkg, slimmed) == what_docx2python_reads(pkg, original)
    return len(slimmed) * 100 // len(original)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_converted_and_libreoffice_files_read_the_same(path):
    check_same(path)


@pytest.mark.parametrize("name", ["base", *DRAFTS])
def test_word_drafts_read_the_same(drafts, name):
    percent = check_same(drafts[name])
    if name == "base":  # the template's report: most of it was formatting docx2python walked for nothing
        assert percent < 60


def test_tab_stops_stay_because_docx2python_reads_them_as_text(tmp_path):
    xml = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
           b'<w:pPr><w:tabs><w:tab w:val="left" w:pos="709"/></w:tabs><w:jc w:val="left"/><w:rPr><w:b/></w:rPr></w:pPr>'
           b'<w:r><w:rPr><w:b/></w:rPr><w:t>x</w:t></w:r></w:p></w:body></w:document>')
    root = etree.fromstring(slim(xml))
    assert [etree.QName(e).localname for e in root.iter()] == ["document", "body", "p", "pPr", "tabs", "tab", "r", "t"]


def test_broken_xml_is_left_for_docx2python_to_refuse():
    assert slim(b"<w:document><w:body>") == b"<w:document><w:body>"
