"""Documents as they arrive (issue 21): Strict Open XML, altChunk bodies, layout tables, pictures, footnote marks,
glued headings, pipe tables, row labels a character off, renamed parts, converted pages and the real corpus
converted to Word, legacy formats through LibreOffice. Built from the official template (tests/helpers/formats.py)."""

import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DATA
from docgen import build_docx, consistent_data, narrative
from drafts import X, body_par, make_variant, r
from formats import (EDITS, alt_chunk_docx, alt_chunk_html, alt_chunk_rtf, five_six_swapped, strict,
                     tables_as_pictures)

from gklint.numbers import parse_value
from gklint.readers import read
from gklint.run.engine import check_file

CONVERTED = DATA / "converted"
INFO = {"footnote_marks": ["GK210"], "label_with_extra_he": ["GK209"]}  # what a construct says, besides nothing


def loud(result) -> list[str]:
    return sorted(f.code for f in result.findings if f.severity in ("error", "warning"))


def codes(result) -> list[str]:
    return sorted(f.code for f in result.findings)


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("formats")


@pytest.fixture(scope="module")
def base(work) -> Path:
    return build_docx(work / "base.docx")


def planted_data() -> dict:
    """表三 （一）予以公开 自然人 one too many: GK301/GK302/GK303 around that cell."""
    data = consistent_data()
    data["t3"]["(一)"][0] += 1
    data["t3"]["(一)"][6] += 1
    return data


@pytest.fixture(scope="module")
def planted(work) -> Path:
    return build_docx(work / "planted.docx", data=planted_data())


@pytest.fixture(scope="module")
def planted_codes(planted) -> list[str]:
    found = loud(check_file(str(planted)))
    assert found  # the defect is seen in the plain report
    return found


PACKAGES = {"strict": strict, "alt_chunk_html": alt_chunk_html, "alt_chunk_docx": alt_chunk_docx}


@pytest.mark.parametrize("name", sorted(EDITS) + sorted(PACKAGES))
def test_consistent_construct_reads_clean(name, base, work):
    path = work / f"{name}.docx"
    if name in PACKAGES:
        PACKAGES[name](base, path)
    else:
        make_variant(base, path, EDITS[name])
    before = sha(path)
    result = check_file(str(path))
    assert sha(path) == before
    assert not result.skipped
    assert loud(result) == []
    assert codes(result) == INFO.get(name, [])
    report = result.report
    assert report.year == 2022 and report.title == "某市某某局2022年政府信息公开工作年度报告"
    assert [s.key for s in report.sections] == list("一二三四五六")
    assert set(report.tables) == {"T2", "T3", "T4"}
    assert report.publication.date == dt.date(2023, 1, 20)


@pytest.mark.parametrize("name", ["strict", "alt_chunk_html", "alt_chunk_docx", "body_in_layout_table",
                                  "t3_in_nested_boxes", "pipe_tables", "glued_heading", "footnote_marks"])
def test_planted_defect_inside_a_construct_is_found_exactly(name, planted, planted_codes, work):
    path = work / f"planted-{name}.docx"
    if name in PACKAGES:
        PACKAGES[name](planted, path)
    else:
        make_variant(planted, path, EDITS[name])
    assert loud(check_file(str(path))) == planted_codes


def test_footnote_marks_are_not_digits(work, base):
    result = check_file(str(make_variant(base, work / "marks.docx", EDITS["footnote_marks"])))
    t3 = result.report.tables["T3"]
    assert t3.rows["(一)"].cells["总计"].value.number == 24 and t3.rows["(一)"].cells["总计"].value.mark == "①"
    assert t3.rows["二"].cells["自然人"].value.number == 2 and t3.rows["二"].cells["自然人"].value.raw == "2¹"
    (note,) = [f for f in result.findings if f.code == "GK210"]
    assert "“24①”读作 24" in note.message and "“2¹”读作 2" in note.message


@pytest.mark.parametrize("text,number,mark", [("47①", 47, "①"), ("40²", 40, "²"), ("12*", 12, "*"),
                                               ("3注1", 3, "注1"), ("5[1]", 5, "[1]"), ("1,248", 1248, None),
                                               ("0.5万元*", "0.5", "*"), ("7", 7, None)])
def test_value_without_its_footnote_mark(text, number, mark):
    v = parse_value(text)
    assert v.is_number and str(v.number) == str(number) and v.mark == mark


def test_tables_pasted_as_pictures_are_said_once_each_and_parts_are_not_empty(work, base):
    result = check_file(str(make_variant(base, work / "pictures.docx", tables_as_pictures)))
    assert loud(result) == ["GK201"] * 3
    for f in result.findings:
        assert f.code != "GK104"
    sections = {f.location["section"] for f in result.findings if f.code == "GK201"}
    assert sections == {"二", "三", "四"}
    assert all("图片（1 张）" in f.message for f in result.findings if f.code == "GK201")


def test_row_label_one_character_off_is_bound_and_named(work, base):
    result = check_file(str(make_variant(base, work / "he.docx", EDITS["label_with_extra_he"])))
    (note,) = [f for f in result.findings if f.code == "GK209"]
    assert "其他法律和行政法规禁止公开" in note.message and "2.其他法律行政法规禁止公开" in note.message
    assert "(三)2" in result.report.tables["T3"].rows


def test_a_label_as_close_to_two_rows_is_not_bound():
    from gklint.report.tables import similar_row
    from gklint.ruleset.loader import load

    spec = load("gb2021").tables["T3"]
    assert similar_row(["2.其他法律和行政法规禁止公开"], spec).key == "(三)2"
    assert similar_row(["其他"], spec) is None  # too short to tell apart
    assert similar_row(["完全不同的一行说明文字"], spec) is None


@pytest.mark.parametrize("title", ["存在的主要问题和改进情况", "存在的主要问题及整改措施"])
def test_parts_five_and_six_renamed_and_swapped_give_one_consistent_finding(work, base, title):
    path = make_variant(base, work / f"swapped-{title}.docx", lambda d: five_six_swapped(d, title))
    result = check_file(str(path))
    assert loud(result) == ["GK101", "GK102"]
    missing = next(f for f in result.findings if f.code == "GK101")
    assert missing.location["section"] == "六"


def test_real_text_report_with_parts_five_six_swapped_is_read_the_same_way():
    result = check_file(str(DATA / "real" / "pingtan_spp_2023.txt"))
    assert [f.location.get("section") for f in result.findings if f.code in ("GK101", "GK102")] == ["六", "五"]


def test_real_text_report_with_a_row_label_one_character_off(tmp_path):
    """The real report's 表三 with the extra 和 (as another real report prints it): no GK202, one GK209."""
    src = (DATA / "real" / "pingtan_2024_page.txt").read_text(encoding="utf-8")
    assert "2.其他法律行政法规禁止公开" in src
    path = tmp_path / "pingtan_2024_he.txt"
    path.write_text(src.replace("2.其他法律行政法规禁止公开", "2.其他法律和行政法规禁止公开"), encoding="utf-8")
    plain, changed = check_file(str(DATA / "real" / "pingtan_2024_page.txt")), check_file(str(path))
    assert loud(changed) == loud(plain)
    assert "GK209" in codes(changed)


def test_altchunk_that_cannot_be_read_is_said_never_skipped(work, base):
    path = alt_chunk_rtf(base, work / "rtf-chunk.docx")
    result = check_file(str(path))
    assert not result.skipped
    (note,) = [f for f in result.findings if f.code == "GK004"]
    assert "altChunk" in note.message and "RTF" in note.message


def test_body_only_an_unreadable_altchunk_is_a_read_error(work, base):
    import docx

    path = alt_chunk_rtf(base, work / "rtf-only.docx")
    d = docx.Document(str(path))
    title = body_par(d, "某市某某局")
    title.getparent().remove(title)
    d.save(str(path))
    result = check_file(str(path))
    assert codes(result) == ["GK001"] and "altChunk" in result.findings[0].message


def test_strict_package_is_mapped_in_memory_only(work, base):
    path = strict(base, work / "strict-only.docx")
    before = sha(path)
    doc = read(str(path))
    assert "Strict" in doc.reader and len(doc.tables) == 3
    assert sha(path) == before


def test_thousands_separators_in_the_text(work):
    data = consistent_data()
    extra = 1248 - data["t3"]["一"][6]
    for key in ("(一)", "(七)", "一"):
        data["t3"][key][0] += extra
        data["t3"][key][6] += extra
    text = narrative(data, 2022)
    text["一"] = [line.replace("申请1248件", "申请1,248件") for line in text["一"]]
    assert any("申请1,248件" in line for line in text["一"])
    clean = check_file(str(build_docx(work / "thousands.docx", data=data, text=text)))
    assert loud(clean) == []
    text["一"] = [line.replace("申请1,248件", "申请1,249件") for line in text["一"]]
    wrong = check_file(str(build_docx(work / "thousands-wrong.docx", data=data, text=text)))
    assert loud(wrong) == ["GK501"] and "1249" in wrong.findings[0].message


def _page_like(d, date_line: str):
    """A page saved as Word: its <title> line, the site's menus, the headline, a '时间：' line, no 落款 date."""
    title = body_par(d, "某市某某局2022年")
    lines = ["某市某某局2022年政府信息公开工作年度报告_政府信息公开年报_某市人民政府门户网站", "首页", "政务公开",
             "政府信息公开", "解读回应", "办事服务", "互动交流", "当前位置：", "首页", "政府信息公开年报",
             "相关链接：", "无障碍浏览"]
    for line in lines:
        title.addprevious(X(f"<w:p>{r(line)}</w:p>"))
    title.addnext(X(f"<w:p>{r(date_line)}</w:p>"))


@pytest.mark.parametrize("line,late", [("来源：某市某某局 时间：2023-02-09 19:52", True),
                                       ("发布日期：2023-01-20", False), ("发布时间：2023年2月9日", True)])
def test_converted_page_title_and_date_line(work, line, late):
    src = build_docx(work / "nodate.docx", date="")
    path = make_variant(src, work / f"page-{late}-{len(line)}.docx", lambda d: _page_like(d, line))
    result = check_file(str(path))
    assert result.report.title == "某市某某局2022年政府信息公开工作年度报告" and result.report_year == 2022
    assert ("GK402" in loud(result)) == late
    assert "GK505" not in codes(result)


# --- the real corpus converted to Word (tests/data/converted, made by make.sh; SOURCES.md) ---

# a conversion may lose a finding only where it says it could not read the table (GK208)
LOST = {"shanghai_stcsm_2024_source.pandoc.docx": {"GK205": "GK208"}}


def _source(name: str) -> Path:
    stem = name.split(".")[0]
    for p in (DATA / "pdf" / f"{stem}.pdf", DATA / "real" / f"{stem}.html", DATA / "real" / f"{stem}.md"):
        if p.exists():
            return p
    raise AssertionError(name)


@pytest.mark.parametrize("name", sorted(p.name for p in CONVERTED.glob("*.docx")))
def test_real_report_converted_to_word_gives_its_sources_findings(name):
    src, conv = check_file(str(_source(name))), check_file(str(CONVERTED / name))
    assert conv.report_year == src.report_year
    got, want = set(loud(conv)), set(loud(src))
    assert got <= want, f"new findings: {got - want}"
    for code in want - got:
        assert LOST.get(name, {}).get(code) in codes(conv), f"{code} lost without a word"


def test_every_real_pdf_page_and_markdown_file_has_a_conversion():
    names = {p.name for p in CONVERTED.glob("*.docx")}
    for pdf in (DATA / "pdf").glob("*.pdf"):
        assert f"{pdf.stem}.pdf2docx.docx" in names
    for page in (DATA / "real").glob("*.html"):
        assert {f"{page.stem}.libreoffice.docx", f"{page.stem}.pandoc.docx"} <= names
    for md in (DATA / "real").glob("*_source.md"):  # SOURCES.md is the folder's notes
        assert f"{md.stem}.pandoc.docx" in names
    assert sum(p.stat().st_size for p in CONVERTED.iterdir()) < 2 * 1024 * 1024


# --- .doc, .wps, .odt, .rtf through LibreOffice ---

def test_without_libreoffice_the_message_says_how_to_install_it(tmp_path, base, monkeypatch):
    path = tmp_path / "report.doc"
    shutil.copyfile(base, path)  # the content does not matter: soffice is looked for first
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    result = check_file(str(path))
    assert codes(result) == ["GK001"]
    assert "libreoffice-writer-nogui" in result.findings[0].message and "另存为 .docx" in result.findings[0].message


@pytest.mark.slow
def test_legacy_formats_made_by_libreoffice_give_the_docx_findings(planted, work):
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is installed where the tests run (.ci/run installs it)"
    out = work / "legacy"
    profile = (work / "profile").as_uri()
    for fmt in ("doc", "odt", "rtf"):
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
                        "--outdir", str(out), str(planted)], check=True, capture_output=True, timeout=180)
    shutil.copyfile(out / "planted.doc", out / "planted.wps")  # WPS writes the Word 97 binary format
    want = [(f.code, f.message) for f in check_file(str(planted)).findings]
    for fmt in ("doc", "wps", "odt", "rtf"):
        path = out / f"planted.{fmt}"
        before = sha(path)
        result = check_file(str(path))
        assert sha(path) == before
        got = [(f.code, f.message) for f in result.findings if f.code != "GK004"]
        assert got == want, fmt
        (note,) = [f for f in result.findings if f.code == "GK004"]
        assert "LibreOffice" in note.message
