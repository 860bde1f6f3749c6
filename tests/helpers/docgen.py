"""Build annual-report .docx fixtures from the official 2021 Word template with python-docx.

Used by the tests and the benchmarks. `consistent_data()` gives numbers that satisfy every identity;
`build_docx()` fills them (and the narrative) into a copy of the template.
"""

from __future__ import annotations

import copy
from pathlib import Path

DATA = Path(__file__).parent.parent / "data"
TEMPLATE = DATA / "templates" / "gb2021_official_template.docx"

T3_COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T3_ROWS_2021 = ["一", "二", "(一)", "(二)"] + [f"(三){i}" for i in range(1, 9)] + \
    [f"(四){i}" for i in range(1, 4)] + [f"(五){i}" for i in range(1, 6)] + \
    [f"(六){i}" for i in range(1, 4)] + ["(七)", "四"]
T4_COLS = [f"{g}/{c}" for g in ("行政复议", "未经复议直接起诉", "复议后起诉")
           for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
T2_2021 = {"规章": [2, 1, 15], "行政规范性文件": [5, 2, 40], "行政许可": [1200], "行政处罚": [356],
           "行政强制": [12], "行政事业性收费": ["23.0910"]}


def consistent_data() -> dict:
    """T3 values per row per column, T4 per column; all identities hold."""
    leaves = {r: [0] * 6 for r in T3_ROWS_2021 if r not in ("一", "二", "(七)", "四")}
    leaves["(一)"] = [20, 3, 0, 0, 1, 0]
    leaves["(二)"] = [2, 0, 0, 0, 0, 0]
    leaves["(三)4"] = [1, 0, 0, 0, 0, 0]
    leaves["(四)1"] = [9, 1, 0, 0, 0, 0]
    leaves["(五)2"] = [1, 0, 0, 0, 0, 0]
    leaves["(六)3"] = [1, 0, 0, 0, 0, 0]
    total = [sum(v[i] for v in leaves.values()) for i in range(6)]
    carried_in = [2, 0, 0, 0, 0, 0]
    carried_out = [3, 0, 0, 0, 1, 0]
    new = [total[i] + carried_out[i] - carried_in[i] for i in range(6)]
    t3 = {"一": new, "二": carried_in, **leaves, "(七)": total, "四": carried_out}
    t3 = {k: v + [sum(v)] for k, v in t3.items()}
    t4 = [3, 1, 0, 1, 5, 2, 0, 0, 1, 3, 1, 0, 0, 0, 1]
    return {"t2": copy.deepcopy(T2_2021), "t3": t3, "t4": t4}


def narrative(data: dict, year: int) -> dict:
    t3, t4 = data["t3"], data["t4"]
    return {
        "一": [f"{year}年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息356条。",
               f"全年共收到政府信息公开申请{t3['一'][6]}件，上年结转{t3['二'][6]}件，"
               f"办结{t3['(七)'][6]}件，结转下年度继续办理{t3['四'][6]}件。"
               f"因政府信息公开工作被申请行政复议{t4[4]}件，被提起行政诉讼{t4[9] + t4[14]}件。"],
        "五": ["存在的主要问题：信息发布的及时性有待提高。改进情况：建立发布台账，按月通报。"],
        "六": [f"{year}年本局未收取信息处理费。"],
    }


def build_docx(path: Path, year: int = 2022, agency: str = "某市某某局", data: dict | None = None,
               text: dict | None = None, date: str | None = None, period: bool = True,
               period_year: int | None = None) -> Path:
    """Fill the official template: title, narrative, the three tables, 落款 and date."""
    import docx

    data = data or consistent_data()
    text = text or narrative(data, year)
    d = docx.Document(str(TEMPLATE))
    pars = d.paragraphs
    for p in pars:
        if p.text == "政府信息公开工作年度报告格式模板":
            _set_text(p, f"{agency}{year}年政府信息公开工作年度报告")
            if period:
                intro = p.insert_paragraph_before("")
                # insert after the title: move the new paragraph behind it
                p._p.addnext(intro._p)
                py = period_year or year
                intro.add_run(f"本报告中所列数据的统计期限自{py}年1月1日起至{py}年12月31日止。")
    placeholders = [p for p in d.paragraphs if p.text.startswith("（文字描述")]
    for p, key in zip(placeholders, ["一", "五", "六"]):
        lines = text.get(key, [])
        _set_text(p, lines[0] if lines else "")
        anchor = p
        for line in lines[1:]:
            new = copy.deepcopy(p._p)
            anchor._p.addnext(new)
            from docx.text.paragraph import Paragraph as DocxParagraph
            anchor = DocxParagraph(new, p._parent)
            _set_text(anchor, line)
    t2, t3, t4 = d.tables
    _fill_t2(t2, data["t2"])
    _fill_t3(t3, data["t3"])
    for i, v in enumerate(data["t4"]):
        _set_cell(t4.rows[3].cells[i], v)
    last = d.paragraphs[-1]
    last.text = agency
    if date is None:
        date = f"{year + 1}年1月20日"
    if date:
        d.add_paragraph(date)
    d.core_properties.title = f"{agency}{year}年政府信息公开工作年度报告"
    d.save(str(path))
    return Path(path)


def _set_text(p, text: str) -> None:
    for r in p.runs[1:]:
        r._r.getparent().remove(r._r)
    if p.runs:
        p.runs[0].text = text
    else:
        p.add_run(text)


def _set_cell(cell, value) -> None:
    p = cell.paragraphs[0]
    _set_text(p, "" if value is None else str(value))


def _unique_cells(row) -> list:
    """python-docx repeats a merged cell for each grid column it spans; keep each once."""
    out, seen = [], set()
    for c in row.cells:
        if id(c._tc) not in seen:
            seen.add(id(c._tc))
            out.append(c)
    return out


def _fill_t2(table, t2: dict) -> None:
    for row in table.rows:
        cells = _unique_cells(row)
        label = cells[0].text.strip()
        if label in t2:
            for cell, v in zip(cells[1:], t2[label]):
                _set_cell(cell, v)


def _fill_t3(table, t3: dict) -> None:
    for row_key, row in zip(T3_ROWS_2021, table.rows[3:]):
        cells = row.cells[-7:]
        for cell, v in zip(cells, t3[row_key]):
            _set_cell(cell, v)


_HEADING_PREFIX = "一二三四五六"
_NUMBERING_XML = (
    '<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">'
    '<w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    '</w:abstractNum>'
)


def number_headings(src: Path, dst: Path, via_style: bool = False, subheadings: list[str] | None = None) -> Path:
    """Replace the typed numbers of the six headings by Word auto-numbering (chineseCounting).

    via_style=True puts the numbering on a style with a numeric id "20" (name "heading 1"), as Chinese Word
    writes it, instead of on each paragraph. `subheadings` are added under 一 at level 2 ("（一）")."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.parts.numbering import NumberingPart

    d = docx.Document(str(src))
    numbering = parse_xml('<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    part = NumberingPart(PackURI("/word/numbering.xml"), CONTENT_TYPE.WML_NUMBERING, numbering, d.part.package)
    d.part.relate_to(part, RELATIONSHIP_TYPE.NUMBERING)
    numbering.insert(0, parse_xml(_NUMBERING_XML))
    numbering.append(parse_xml(
        '<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">'
        '<w:abstractNumId w:val="90"/></w:num>'))
    if via_style:
        styles = d.styles.element
        styles.append(parse_xml(
            '<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:type="paragraph" '
            'w:styleId="20"><w:name w:val="heading 1"/><w:basedOn w:val="1"/><w:pPr><w:numPr><w:numId w:val="90"/>'
            '</w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'))

    def numbered(p, level: int) -> None:
        ppr = p._p.get_or_add_pPr()
        if via_style and level == 0:
            ps = ppr.find(qn("w:pStyle"))
            if ps is None:
                ps = parse_xml('<w:pStyle xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
                ppr.insert(0, ps)
            ps.set(qn("w:val"), "20")
        else:
            ppr.append(parse_xml(
                '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    for p in list(d.paragraphs):
        t = p.text
        if len(t) > 2 and t[0] in _HEADING_PREFIX and t[1] == "、" and len(t) < 30:
            _set_text(p, t[2:])
            numbered(p, 0)
            if t[0] == "一" and subheadings:
                anchor = p
                for sub in subheadings:
                    new = copy.deepcopy(p._p)
                    anchor._p.addnext(new)
                    from docx.text.paragraph import Paragraph as DocxParagraph
                    anchor = DocxParagraph(new, p._parent)
                    for e in new.iter(qn("w:numPr")):
                        e.getparent().remove(e)
                    ps = new.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
                    if ps is not None:
                        ps.getparent().remove(ps)
                    _set_text(anchor, sub)
                    numbered(anchor, 1)
    d.save(str(dst))
    return Path(dst)


def libreoffice_roundtrip(src: Path, outdir: Path) -> Path:
    """Save a .docx through LibreOffice (writes vMerge w:val="continue", phantom grid columns)."""
    import subprocess

    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir),
                    str(src)], check=True, capture_output=True, timeout=180)
    return outdir / Path(src).name


def libreoffice_convert(path: Path, fmt: str, workdir: Path) -> str:
    """The file opened and converted headlessly by LibreOffice (its own profile: no other test's soffice), as
    text; fails when LibreOffice could not open it. fmt as --convert-to takes it ('txt:Text', 'csv:…')."""
    import subprocess

    outdir = workdir / "converted"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{workdir / 'lo-profile'}", "--headless",
                    "--convert-to", fmt, "--outdir", str(outdir), str(path)], capture_output=True, timeout=120)
    out = outdir / (Path(path).stem + "." + fmt.split(":")[0])
    assert out.exists(), f"LibreOffice did not convert {Path(path).name}"
    return out.read_text(encoding="utf-8-sig", errors="replace")


def as_text(path: Path) -> str:
    """A .docx as plain text: paragraphs, and table rows as tab-separated lines, in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = docx.Document(str(path))
    lines = []
    for el in d.element.body.iterchildren():
        if el.tag.endswith("}p"):
            lines.append(Paragraph(el, d).text)
        elif el.tag.endswith("}tbl"):
            for row in Table(el, d).rows:
                cells, seen = [], set()
                for c in row.cells:
                    if id(c._tc) not in seen:
                        seen.add(id(c._tc))
                        cells.append(c.text.replace("\n", ""))
                lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"
