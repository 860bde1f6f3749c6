"""The agency (机关名称) of a report: the title's, else the line above the title, the web page's headline,
the preamble, the 落款; never a sentence, a date or '本局'; an abbreviation's full name kept as an alias."""

from __future__ import annotations

import html
import json
import pathlib
import tomllib

import docx
import pytest
from conftest import DATA, seed
from docgen import as_text, build_docx
from docx.oxml import parse_xml

from gklint.cli import main
from gklint.run.engine import check_file, choose_ruleset
from gklint.readers import read
from gklint.report import agency
from gklint.report.bind import bind, identify

REAL = DATA / "real"
EXPECTED = tomllib.loads((REAL / "expectations.toml").read_text(encoding="utf-8"))["files"]
BARE_TITLE = "2022年政府信息公开工作年度报告"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _bind(path) -> object:
    doc = read(str(path))
    known = identify(doc)
    return bind(doc, choose_ruleset(known.year, known.layout, None), known)


# --- the real corpus ---

@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if "agency" in e))
def test_real_reports_name_their_agency(name):
    assert _bind(REAL / name).agency == EXPECTED[name]["agency"]


def test_every_real_report_has_an_expected_agency():
    assert all("agency" in e for e in EXPECTED.values())


# --- built drafts: the official template with the agency in one place only ---

def _title(d) -> object:
    return next(p for p in d.paragraphs if p.text.endswith("年度报告"))


def _set(p, text: str) -> None:
    for r in p.runs[1:]:
        r._r.getparent().remove(r._r)
    p.runs[0].text = text


def _drop_signature_agency(d) -> None:
    """build_docx ends with the agency's line and then the date: keep the date only."""
    line = d.paragraphs[-2]
    line._p.getparent().remove(line._p)


def _bare_title_signed(d):  # title without agency, 落款 with it
    _set(_title(d), BARE_TITLE)


def _line_above_title(d):
    title = _title(d)
    _set(title, BARE_TITLE)
    title.insert_paragraph_before("某市某某局")
    _drop_signature_agency(d)


def _line_above_title_year_last(d):  # the title is not joined to the line above: the name is found there
    title = _title(d)
    _set(title, "政府信息公开工作年度报告（2022年度）")
    title.insert_paragraph_before("某市某某局")
    _drop_signature_agency(d)


def _tabbed_signature(d):
    _set(_title(d), BARE_TITLE)
    _drop_signature_agency(d)
    _set(d.paragraphs[-1], "某市某某局\t\t2023年1月20日")


def _remove_signature(d) -> None:
    for p in d.paragraphs[-2:]:
        p._p.getparent().remove(p._p)


def _table_signature(d):  # the 落款 laid out in a borderless table
    _set(_title(d), BARE_TITLE)
    _remove_signature(d)
    t = d.add_table(rows=2, cols=1)
    t.cell(0, 0).text, t.cell(1, 0).text = "某市某某局", "2023年1月20日"


def _text_box_signature(d):
    _set(_title(d), BARE_TITLE)
    _remove_signature(d)
    d.add_paragraph()._p.append(parse_xml(
        f'<w:r {W} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;height:40pt">'
        '<v:textbox><w:txbxContent><w:p><w:r><w:t>某市某某局</w:t></w:r></w:p><w:p><w:r><w:t>2023年1月20日</w:t>'
        '</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))


def _preamble_published(d):
    title = _title(d)
    _set(title, BARE_TITLE)
    _drop_signature_agency(d)
    intro = next(p for p in d.paragraphs if p.text.startswith("本报告中所列数据"))
    intro.insert_paragraph_before("现将某市某某局2022年政府信息公开工作年度报告公布如下。")


def _preamble_compiled(d):
    _set(_title(d), BARE_TITLE)
    _drop_signature_agency(d)
    intro = next(p for p in d.paragraphs if p.text.startswith("本报告中所列数据"))
    _set(intro, "本报告由某市某某局根据《中华人民共和国政府信息公开条例》编制。" + intro.text)


def _title_with_guanyu(d):
    _set(_title(d), "关于某市某某局2022年政府信息公开工作年度报告")
    _drop_signature_agency(d)


EDITS = [_bare_title_signed, _line_above_title, _line_above_title_year_last, _tabbed_signature, _table_signature,
         _preamble_published, _preamble_compiled, _title_with_guanyu]


def _draft(tmp_path, edit, date: str | None = None) -> pathlib.Path:
    path = build_docx(tmp_path / f"{edit.__name__}.docx", agency="某市某某局", date=date)
    d = docx.Document(str(path))
    edit(d)
    d.save(str(path))
    return path


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e.__name__)
def test_agency_found_in_a_docx_and_its_text(tmp_path, edit):
    path = _draft(tmp_path, edit)
    report = _bind(path)
    assert (report.agency, report.year) == ("某市某某局", 2022)
    txt = path.with_suffix(".txt")
    txt.write_text(as_text(path), encoding="utf-8")
    assert _bind(txt).agency == "某市某某局"


def test_agency_in_a_text_box_at_the_end(tmp_path):  # a Word text box: no plain-text variant carries it
    assert _bind(_draft(tmp_path, _text_box_signature)).agency == "某市某某局"


def test_the_fallback_agency_sets_the_deadline(tmp_path):
    """A department named only by its 落款, published 2月20日: after its 1月31日 deadline (GK402)."""
    path = _draft(tmp_path, _bare_title_signed, date="2023年2月20日")
    assert "GK402" in {f.code for f in check_file(str(path)).findings}


def _page(title_tag: str, meta: str, body_lines: list[str]) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in body_lines)
    return (f'<html><head><meta charset="utf-8"><title>{html.escape(title_tag)}</title>{meta}</head>'
            f"<body><div class=\"article\">{body}</div></body></html>")


@pytest.mark.parametrize("title_tag,meta", [
    ("某市某某局2022年政府信息公开工作年度报告_某市人民政府网", ""),
    ("某市人民政府网", '<meta name="ArticleTitle" content="某市某某局2022年政府信息公开工作年度报告">'),
])
def test_web_page_headline_names_the_agency(tmp_path, title_tag, meta):
    path = _draft(tmp_path, _title_with_guanyu)  # any draft: its body's title is dropped below
    lines = [line for line in as_text(path).splitlines() if line.strip() and not line.endswith("年度报告")]
    page = tmp_path / "page.html"
    page.write_text(_page(title_tag, meta, lines), encoding="utf-8")
    report = _bind(page)
    assert (report.agency, report.year) == ("某市某某局", 2022)
    # the body's own title names no agency: the headline still does
    page.write_text(_page(title_tag, meta, [BARE_TITLE] + lines), encoding="utf-8")
    report = _bind(page)
    assert (report.title, report.agency) == (BARE_TITLE, "某市某某局")


def test_site_name_as_headline_is_no_agency(tmp_path):
    """<title> holds only the site's name (no report, no year): not the agency of the report."""
    path = _draft(tmp_path, _title_with_guanyu)
    lines = [line for line in as_text(path).splitlines() if line.strip() and not line.endswith("年度报告")]
    page = tmp_path / "page.html"
    page.write_text(_page("某市人民政府门户网站", "", [BARE_TITLE] + lines), encoding="utf-8")
    assert _bind(page).agency == ""


# --- what is never an agency ---

def _nowhere(d):
    _set(_title(d), BARE_TITLE)
    _drop_signature_agency(d)


def _sentence_signature(d):
    _set(_title(d), BARE_TITLE)
    _set(d.paragraphs[-2], "特此报告。")


def _self_signature(d):
    _set(_title(d), BARE_TITLE)
    _set(d.paragraphs[-2], "本局")


def _government_office_signature(d):
    _set(_title(d), BARE_TITLE)
    _set(d.paragraphs[-2], "某县人民政府办公室")


@pytest.mark.parametrize("edit", [_nowhere, _sentence_signature, _self_signature, _government_office_signature],
                         ids=lambda e: e.__name__)
def test_no_agency_is_empty_not_a_fragment(tmp_path, edit):
    path = _draft(tmp_path, edit, date="2023年2月20日")
    assert _bind(path).agency == ""
    txt = path.with_suffix(".txt")
    txt.write_text(as_text(path), encoding="utf-8")
    assert _bind(txt).agency == ""
    # an unknown agency gets the later (本级政府) deadline: 2月20日 is no GK402
    assert "GK402" not in {f.code for f in check_file(str(path)).findings}


BODY = [BARE_TITLE, "一、总体情况", "2022年，本局全年主动公开政府信息356条。", "六、其他需要报告的事项", "本年度未收取信息处理费。"]


@pytest.mark.parametrize("tail,name", [
    (["某市某某局（盖章）", "二〇二三年一月二十日"], "某市某某局"), (["某市某某局 二〇二三年一月二十日"], "某市某某局"),
    (["特此报告。", "某市某某局", "2023年1月20日", ""], "某市某某局"),
    (["本年度未收取信息处理费。 某市某某局2023年1月20日"], "某市某某局"),  # a flattened page's last line
    (["各县区 2023年1月20日"], ""), (["本局", "2023年1月20日"], ""), (["特此报告。", "2023年1月20日"], ""),
    (["某县人民政府办公室", "2023年1月20日"], ""),
])
def test_signature_forms_in_text(tmp_path, tail, name):
    path = tmp_path / "report.txt"
    path.write_text("\n".join(BODY + tail) + "\n", encoding="utf-8")
    assert _bind(path).agency == name


# --- the name itself ---

@pytest.mark.parametrize("text,name", [
    ("  某市 某某局 ", "某市某某局"), ("关于某市某某局", "某市某某局"), ("某市某某局关于", "某市某某局"),
    ("平潭综合实验区海坛片区管理局", "平潭综合实验区海坛片区管理局"), ("某县某某镇人民政府", "某县某某镇人民政府"),
    ("某县某某乡人民政府", "某县某某乡人民政府"), ("某区某某街道办事处", "某区某某街道办事处"),
    ("某某经济开发区管委会", "某某经济开发区管委会"), ("某市人民政府办公室", "某市人民政府办公室"),
    ("某县县直部门", "某县县直部门"), ("平潭综合实验区", "平潭综合实验区"), ("上海市科委", "上海市科委"),
    ("某市某某局（机关本级）", "某市某某局"),
    ("特此报告。", ""), ("本局", ""), ("我局", ""), ("本机关", ""), ("本委", ""), ("本办", ""), ("本单位", ""),
    ("2023年2月20日", ""), ("二〇二三年二月二十日", ""), ("某市某某局2023年", ""), ("附件1", ""), ("正文", ""),
    ("联系地址：某市某某路1号", ""), ("本年度未收取信息处理费", ""), ("无", ""), ("", ""),
    ("某" * 40 + "局", ""), ("各单位，各部门", ""), ("政府信息公开工作年度报告", ""),
])
def test_clean(text, name):
    assert agency.clean(text) == name


@pytest.mark.parametrize("title,name", [
    ("某市某某局2022年政府信息公开工作年度报告", "某市某某局"),
    ("平潭综合实验区苏平片区管理局关于报送2020年政府信息公开工作年度报告的函", "平潭综合实验区苏平片区管理局"),
    ("某局关于印发2021年政府信息公开工作年度报告的通知", "某局"),
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅"),
    ("2019年度某市某某局政府信息公开工作年度报告", "某市某某局"),
    ("关于某市某某局2022年度政府信息公开工作年度报告", "某市某某局"),
    ("某县人民政府（本级）2022年政府信息公开工作年度报告", "某县人民政府(本级)"),  # the 本级 report, as titled
    ("某市某某局 2022 年 政府信息公开工作年度报告", "某市某某局"),
    ("2022年政府信息公开工作年度报告", ""), ("政府信息公开工作年度报告（2022年度）", ""),
    ("附件12022年政府信息公开工作年度报告", ""), ("", ""),
])
def test_from_title(title, name):
    assert agency.from_title(title) == name


@pytest.mark.parametrize("name,other,same", [
    ("上海市科委", "上海市科学技术委员会", True), ("洪泽区人民政府", "淮安市洪泽区人民政府", True),
    ("某市人民政府", "某市人民政府办公室", False), ("某市某某局", "某市某某局", False),
    ("某市教育局", "某市公安局", False), ("某市科委", "某县科学技术委员会", False),
    ("市卫生健康委", "舟山市卫生健康委员会", True), ("卫健委", "某市卫生健康委员会", False),
    ("某市卫生健康委", "某县卫生健康委员会", False), ("某某开发区管委会", "某某开发区管理委员会", True),
    ("某某开发区管委会", "某某开发区管委会办公室", False),
])
def test_alias(name, other, same):
    assert agency.alias(name, other) is same


def test_full_name_in_the_signature_is_an_alias(tmp_path):
    path = build_docx(tmp_path / "stcsm.docx", agency="上海市科委")
    d = docx.Document(str(path))
    _set(d.paragraphs[-2], "上海市科学技术委员会")
    d.save(str(path))
    report = _bind(path)
    assert (report.agency, report.agency_aliases) == ("上海市科委", ["上海市科学技术委员会"])
    # a government's report signed by its office: the office is another agency, not an alias
    path = build_docx(tmp_path / "gov.docx", agency="某县人民政府")
    d = docx.Document(str(path))
    _set(d.paragraphs[-2], "某县人民政府办公室")
    d.save(str(path))
    report = _bind(path)
    assert (report.agency, report.agency_aliases) == ("某县人民政府", [])


def test_real_report_signed_with_its_full_name():
    """'市卫生健康委 2020 年…年度报告' signed '舟山市卫生健康委员会'."""
    report = _bind(seed("001"))
    assert (report.agency, report.agency_aliases) == ("市卫生健康委", ["舟山市卫生健康委员会"])


# --- SARIF ---

def test_sarif_results_carry_agency_and_year(tmp_path, capsys):
    path = build_docx(tmp_path / "late.docx", agency="某市某某局", date="2023年2月20日")  # GK402
    main(["check", str(path), "--output-format", "sarif"])
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert results and all(r["properties"]["agency"] == "某市某某局" and r["properties"]["report_year"] == 2022
                           for r in results)


# --- real reports whose titles are stripped of the agency: found elsewhere, or "", never something else ---

# checked by hand: the 落款 (own line, after tabs, or run into the last sentence of a flattened page) or the
# preamble ('现将沐阳县人民政府2025年…公布') names the agency
NAMED_ELSEWHERE = {
    "pingtan_czj_2018.txt", "pingtan_czj_2024.txt", "pingtan_czj_2025.txt", "pingtan_gaj_2019.txt",
    "pingtan_gaj_2021.txt", "pingtan_gzj_2019.txt", "pingtan_htp_2020.txt", "pingtan_jjf_2022.txt",
    "pingtan_jjf_2023.txt", "pingtan_jjf_2024.txt", "pingtan_jjp_2023.txt", "pingtan_jtj_2023.txt",
    "pingtan_spp_2019.txt", "pingtan_spp_2021.txt", "pingtan_tcj_2025.txt",
    "pingtan_zhz_2025.txt", "shuyang_county_gov_2025.txt",
}


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith((".txt", ".md"))))
def test_real_report_without_the_agency_in_its_title(tmp_path, name):
    name_ = EXPECTED[name]["agency"]
    raw = (REAL / name).read_bytes()
    encoding = read(str(REAL / name)).encoding or "utf-8"
    lines = raw.decode(encoding).split("\n")
    for k, line in enumerate(lines):  # every printing of the title (a page's 标题: line, the body's title, wrapped)
        if "年" in line and ("报告" in line or "信息公开" in line) and "现将" not in line and len(line) <= 120:
            lines[k] = line.replace(name_, "")
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode(encoding))
    found = _bind(path).agency
    assert found == (name_ if name in NAMED_ELSEWHERE else "")
