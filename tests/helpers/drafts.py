"""Word-draft variants of a consistent report: the report from docgen.build_docx, edited at the XML level
the way Word and WPS write drafts that went through an office (tracked changes, content controls, hidden
text, a table of contents, text boxes, fields …).

`VARIANTS` maps a name to an edit of a python-docx Document; every one keeps the report consistent (what
Word shows is the clean report). `DEFECTS` plant an inconsistency inside such a construct; each comes with
the data/text/date a plain report built by build_docx needs to show the same defect.
"""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

from docgen import T3_COLS, T3_ROWS_2021, build_docx, consistent_data, narrative, number_headings

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
}
W = "{%s}" % NS["w"]
AUTHOR = 'w:author="审核人" w:date="2023-01-18T09:30:00Z"'
_ids = itertools.count(9001)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def X(fragment: str):
    """One element from an XML fragment written with the usual prefixes."""
    from docx.oxml import parse_xml

    decl = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
    root = parse_xml(f"<w:root {decl}>{fragment}</w:root>")
    return root[0]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def r(text: str, rpr: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'


def ins(text: str) -> str:
    return f'<w:ins w:id="{next(_ids)}" {AUTHOR}>{r(text)}</w:ins>'


def dele(text: str) -> str:
    return (f'<w:del w:id="{next(_ids)}" {AUTHOR}><w:r><w:delText xml:space="preserve">{_esc(text)}'
            "</w:delText></w:r></w:del>")


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(W + "t"))


def set_content(p, *fragments: str) -> None:
    """Replace everything in paragraph p but its properties by the given inline XML fragments."""
    for child in list(p):
        if child.tag != W + "pPr":
            p.remove(child)
    for frag in fragments:
        p.append(X(frag))


def body_par(d, prefix: str):
    return next(p for p in d.element.body.iter(W + "p") if text_of(p).translate(_INVISIBLE).startswith(prefix))


def signature(d):
    """The 落款's agency line (the title starts with the agency name too)."""
    return next(p for p in d.element.body.iter(W + "p") if text_of(p) == "某市某某局")


def tables(d) -> list:
    return d.element.body.findall(W + "tbl")


def t3_row(d, key: str):
    return tables(d)[1].findall(W + "tr")[3 + T3_ROWS_2021.index(key)]


def t3_cell(d, key: str, col: str):
    return t3_row(d, key).findall(W + "tc")[-7:][T3_COLS.index(col)]


def t4_first_value(d):
    """表四's first value cell (found through any wrapper a variant put around its row)."""
    return list(tables(d)[2].iter(W + "tr"))[3].findall(W + "tc")[0]


def cell_par(tc):
    return tc.find(W + "p")


def wrap(elem, open_xml: str, close_xml: str, inner: str | None = None):
    """Put elem inside a wrapper (e.g. w:sdt/w:sdtContent) at its own place; returns the wrapper."""
    outer = X(open_xml + close_xml)
    target = outer if inner is None else outer.find(f".//{W}{inner}")
    elem.addprevious(outer)
    target.append(elem)
    return outer


def sdt(elem, props: str = "<w:text/>"):
    return wrap(elem, f'<w:sdt><w:sdtPr><w:id w:val="{next(_ids)}"/>{props}</w:sdtPr><w:sdtContent>',
                "</w:sdtContent></w:sdt>", "sdtContent")


def props(elem, tag: str):
    """The properties child (w:rPr, w:pPr, w:trPr …) of elem, created first in it if missing."""
    found = elem.find(W + tag)
    if found is None:
        found = X(f"<w:{tag}/>")
        elem.insert(0, found)
    return found


def row_props(tr):
    """w:trPr, which comes after w:tblPrEx."""
    found = tr.find(W + "trPr")
    if found is None:
        found = X("<w:trPr/>")
        tr.insert(1 if tr.find(W + "tblPrEx") is not None else 0, found)
    return found


def rpr_mark(p, mark: str) -> None:
    """A revision mark on the paragraph mark (w:pPr/w:rPr/w:ins|del|moveFrom|moveTo)."""
    ppr = p.find(W + "pPr")
    if ppr is None:
        ppr = X("<w:pPr/>")
        p.insert(0, ppr)
    rpr = ppr.find(W + "rPr")
    if rpr is None:
        rpr = X("<w:rPr/>")
        ppr.append(rpr)
    rpr.append(X(f'<w:{mark} w:id="{next(_ids)}" {AUTHOR}/>'))


def new_par(text_fragments: list[str], like=None):
    p = copy.deepcopy(like) if like is not None else X("<w:p/>")
    set_content(p, *text_fragments)
    return p


# --- the consistent report's own figures, as build_docx writes them ---

DATA = consistent_data()
TEXT = narrative(DATA, 2022)
APPLIED = TEXT["一"][1]  # "全年共收到政府信息公开申请41件，上年结转2件，…"
NEW = str(DATA["t3"]["一"][6])


# --- variants: what Word shows is the consistent report ---

def tracked_text(d):
    """A number in the narrative retyped with tracking: the deleted old value is still in the XML."""
    p = body_par(d, "全年共收到")
    head, tail = APPLIED.split(f"申请{NEW}件", 1)
    set_content(p, r(head + "申请"), dele("14"), ins(NEW), r("件" + tail))


def tracked_cell(d):
    """A table value retyped with tracking (old 21 deleted, 20 inserted)."""
    set_content(cell_par(t3_cell(d, "(一)", "自然人")), dele("21"), ins("20"))


def tracked_paragraphs(d):
    """A whole inserted paragraph, a whole deleted one with a wrong figure, a paragraph mark deleted
    (two paragraphs joined into one sentence) and a deleted table row."""
    p = body_par(d, "全年共收到")
    half = APPLIED.index("上年结转")
    first = new_par([r(APPLIED[:half])], like=p)
    rpr_mark(first, "del")
    set_content(p, r(APPLIED[half:]))
    p.addprevious(first)
    gone = new_par([dele("全年共收到政府信息公开申请99件，办结98件。")], like=p)
    rpr_mark(gone, "del")
    first.addprevious(gone)
    five = body_par(d, "存在的主要问题")
    added = new_par([ins("下一步将加强业务培训。")], like=five)
    rpr_mark(added, "ins")
    five.addnext(added)
    row = t3_row(d, "(二)")
    old = copy.deepcopy(row)
    for tc in old.findall(W + "tc")[-7:]:
        set_content(cell_par(tc), dele("9"))
    row_props(old).append(X(f'<w:del w:id="{next(_ids)}" {AUTHOR}/>'))
    row.addnext(old)


def _move(pars, before, name: str, from_text=None):
    """Word's tracked move: the paragraphs stay where they are now as w:moveTo, and a w:moveFrom copy
    (from_text: its older wording) sits where they were, before `before`."""
    mid = next(_ids)
    to_start = X(f'<w:moveToRangeStart w:id="{mid}" {AUTHOR} w:name="{name}"/>')
    from_start = X(f'<w:moveFromRangeStart w:id="{mid + 1000}" {AUTHOR} w:name="{name}"/>')
    copies = []
    for k, p in enumerate(pars):
        old = copy.deepcopy(p)
        texts = [from_text[k]] if from_text else [text_of(p)]
        set_content(old, f'<w:moveFrom w:id="{next(_ids)}" {AUTHOR}>{r(texts[0])}</w:moveFrom>')
        rpr_mark(old, "moveFrom")
        copies.append(old)
        for run in [c for c in p if c.tag == W + "r"]:  # later edits (w:del, w:ins) stay beside them
            wrap(run, f'<w:moveTo w:id="{next(_ids)}" {AUTHOR}>', "</w:moveTo>")
        rpr_mark(p, "moveTo")
    pars[0].find(W + "pPr").addnext(to_start)
    pars[-1].append(X(f'<w:moveToRangeEnd w:id="{mid}"/>'))
    for old in copies:
        before.addprevious(old)
    copies[0].find(W + "pPr").addnext(from_start)
    copies[-1].append(X(f'<w:moveFromRangeEnd w:id="{mid + 1000}"/>'))


def moved_section(d):
    """Section 五 was after 六 in the draft and was moved before it with tracking."""
    heading = body_par(d, "五、")
    text = body_par(d, "存在的主要问题")
    _move([heading, text], signature(d), "move1")


def moved_edited_sentence(d):
    """A sentence moved to the end of 一 and then corrected (40 → 41) at its new place."""
    p = body_par(d, "全年共收到")
    head, tail = APPLIED.split(f"申请{NEW}件", 1)
    set_content(p, r(head + "申请"), dele("40"), ins(NEW), r("件" + tail))
    _move([p], body_par(d, str(2022) + "年，本局"), "move2", from_text=[APPLIED.replace(f"申请{NEW}件", "申请40件")])


def property_changes(d):
    """Formatting changed with tracking; the old run properties even said hidden."""
    title = body_par(d, "某市某某局2022年")
    run = title.find(W + "r")
    props(run, "rPr").append(X(f'<w:rPrChange w:id="{next(_ids)}" {AUTHOR}><w:rPr><w:vanish/></w:rPr>'
                                 "</w:rPrChange>"))
    p = body_par(d, "2022年，本局")
    props(p, "pPr").append(X(f'<w:pPrChange w:id="{next(_ids)}" {AUTHOR}><w:pPr><w:jc w:val="left"/>'
                               "</w:pPr></w:pPrChange>"))
    t2 = tables(d)[0]
    t2.find(W + "tblPr").append(X(f'<w:tblPrChange w:id="{next(_ids)}" {AUTHOR}><w:tblPr/></w:tblPrChange>'))
    row = t3_row(d, "(一)")
    trpr = row_props(row)
    trpr.append(X(f'<w:trPrChange w:id="{next(_ids)}" {AUTHOR}><w:trPr/></w:trPrChange>'))
    tcpr = t3_cell(d, "(一)", "总计").find(W + "tcPr")
    tcpr.append(X(f'<w:tcPrChange w:id="{next(_ids)}" {AUTHOR}><w:tcPr/></w:tcPrChange>'))
    sect = d.element.body.find(W + "sectPr")
    sect.append(X(f'<w:sectPrChange w:id="{next(_ids)}" {AUTHOR}><w:sectPr/></w:sectPrChange>'))


def hidden_text(d):
    """Hidden template instructions: directly (w:vanish) and through a hidden character style."""
    p = body_par(d, "2022年，本局")
    p.append(X(r("（此处填写XX条）", "<w:vanish/>")))
    d.styles.element.append(X('<w:style w:type="character" w:styleId="HiddenNote"><w:name w:val="隐藏说明"/>'
                              '<w:rPr><w:vanish/></w:rPr></w:style>'))
    d.styles.element.append(X('<w:style w:type="character" w:styleId="HiddenNote2"><w:name w:val="隐藏说明2"/>'
                              '<w:basedOn w:val="HiddenNote"/></w:style>'))
    body_par(d, "存在的主要问题").append(X(r("XX年XX月XX日", '<w:rStyle w:val="HiddenNote2"/>')))
    cell_par(t3_cell(d, "(二)", "自然人")).append(X(r("XX", "<w:vanish/>")))


def sdt_cell_content(d):
    sdt(cell_par(t3_cell(d, "(一)", "自然人")))
    sdt(cell_par(t3_cell(d, "(一)", "总计")))


def sdt_cell(d):
    sdt(t3_cell(d, "(一)", "商业企业"))
    sdt(t4_first_value(d))


def sdt_row(d):
    sdt(t3_row(d, "(二)"), "<w15:repeatingSectionItem/>")
    sdt(tables(d)[2].findall(W + "tr")[3])


def sdt_paragraph(d):
    sdt(body_par(d, "某市某某局2022年"))
    sdt(body_par(d, "五、"), '<w:docPartObj><w:docPartGallery w:val="Custom"/></w:docPartObj>')


def sdt_run(d):
    date = body_par(d, "2023年1月20日")
    sdt(date.find(W + "r"), '<w:date w:fullDate="2023-01-20T00:00:00Z"><w:dateFormat w:val="yyyy年M月d日"/>'
                            '<w:lid w:val="zh-CN"/></w:date>')
    sdt(cell_par(t3_cell(d, "(四)1", "自然人")).find(W + "r"))


def sdt_nested(d):
    cell = t3_cell(d, "(三)4", "自然人")
    sdt(cell_par(cell).find(W + "r"))
    sdt(cell_par(cell))
    sdt(cell)
    outer = sdt(t3_row(d, "(三)4"))
    sdt(outer, '<w15:repeatingSection/>')


def toc(d):
    """A table of contents (TOC field, cached entries with PAGEREF fields) in a content control."""
    headings = [text_of(p) for p in d.element.body.iter(W + "p") if text_of(p)[:2] in
                ("一、", "二、", "三、", "四、", "五、", "六、")]
    paras = ['<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr>' + r("目录") + "</w:p>"]
    for k, h in enumerate(headings):
        begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \\o '
                 '"1-3" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                 if k == 0 else "")
        link = (f'<w:hyperlink w:anchor="_Toc{k}" w:history="1">{r(h)}<w:r><w:tab/></w:r>'
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF '
                f'_Toc{k} \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{r(str(k + 1))}'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink>')
        paras.append(f'<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>{begin}{link}</w:p>')
    paras.append('<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    block = X('<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>'
              f'</w:docPartObj></w:sdtPr><w:sdtContent>{"".join(paras)}</w:sdtContent></w:sdt>')
    body_par(d, "本报告中所列").addnext(block)


def zero_width(d):
    set_content(cell_par(t3_cell(d, "(一)", "自然人")), r("2\u200b0"))
    set_content(cell_par(t3_cell(d, "(一)", "总计")), r("\ufeff24"))
    set_content(cell_par(t4_first_value(d)), r(f"{DATA['t4'][0]}\u2060"))
    p = body_par(d, "全年共收到")
    set_content(p, r(APPLIED.replace(f"{NEW}件", f"{NEW}\u200b件").replace("上年", "上\u200c年")))
    title = body_par(d, "某市某某局2022年")
    set_content(title, r("\ufeff某市某某局\u200d2022年政府信息公开工作年度报告"))


def _textbox(paragraphs: list[str]) -> str:
    inner = "".join(f"<w:p>{r(t)}</w:p>" for t in paragraphs)
    choice = ('<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" '
              'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
              '<wp:positionH relativeFrom="column"><wp:posOffset>3200400</wp:posOffset></wp:positionH>'
              '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
              '<wp:extent cx="2000000" cy="600000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
              '<wp:docPr id="1" name="文本框 1"/><wp:cNvGraphicFramePr/>'
              '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
              '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2000000" '
              'cy="600000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/>'
              f'</a:ln></wps:spPr><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx><wps:bodyPr/>'
              '</wps:wsp></a:graphicData></a:graphic></wp:anchor>')
    fallback = ('<w:pict><v:shape id="文本框 1" type="#_x0000_t202" style="position:absolute;margin-left:252pt;'
                f'width:157.5pt;height:47.25pt" filled="f" stroked="f"><v:textbox><w:txbxContent>{inner}'
                '</w:txbxContent></v:textbox></v:shape></w:pict>')
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{choice}</w:drawing></mc:Choice>'
            f'<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r>')


def textbox_signature(d, date: str = "2023年1月20日"):
    """The 落款 (agency and date) typed into a text box, as Word writes it: mc:Choice + mc:Fallback."""
    agency = signature(d)
    old_date = body_par(d, "2023年1月20日")
    set_content(agency, _textbox(["某市某某局", date]))
    old_date.getparent().remove(old_date)


def comments(d):
    cell = t3_cell(d, "(一)", "自然人")
    from docx.text.paragraph import Paragraph

    par = Paragraph(cell_par(cell), d._body)
    d.add_comment(par.runs, text="请核对数字", author="审核人")
    p = next(p for p in d.paragraphs if p.text.startswith("全年共收到"))
    d.add_comment(p.runs, text="与表三一致", author="科长")


def bookmarks(d):
    set_content(cell_par(t3_cell(d, "(一)", "自然人")), r("2"), '<w:bookmarkStart w:id="7" w:name="a1"/>', r("0"),
                '<w:bookmarkEnd w:id="7"/>')
    p = body_par(d, "全年共收到")
    head, tail = APPLIED.split(NEW, 1)
    set_content(p, r(head), '<w:bookmarkStart w:id="8" w:name="_GoBack"/>', r(NEW), '<w:bookmarkEnd w:id="8"/>',
                r(tail))


def split_runs(d):
    set_content(cell_par(t3_cell(d, "(七)", "总计")), r(str(DATA["t3"]["(七)"][6])[:1], '<w:lang w:val="en-US"/>'),
                '<w:proofErr w:type="spellStart"/>', r(str(DATA["t3"]["(七)"][6])[1:], "<w:b/>"),
                '<w:proofErr w:type="spellEnd"/>')
    p = body_par(d, "全年共收到")
    head, tail = APPLIED.split(NEW, 1)
    set_content(p, r(head), r(NEW[0], '<w:rFonts w:ascii="Times New Roman"/>'), r(NEW[1:]),
                r(tail[:1], "<w:i/>"), r(tail[1:]))


def smart_tags(d):
    date = body_par(d, "2023年1月20日")
    wrap(date.find(W + "r"), '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="chsdate">'
         '<w:smartTagPr><w:attr w:name="Year" w:val="2023"/><w:attr w:name="Month" w:val="1"/>'
         '<w:attr w:name="Day" w:val="20"/><w:attr w:name="IsLunarDate" w:val="False"/></w:smartTagPr>',
         "</w:smartTag>")
    wrap(cell_par(t3_cell(d, "(一)", "自然人")).find(W + "r"),
         '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="chmetcnv">', "</w:smartTag>")


def custom_xml(d):
    cx = '<w:customXml w:uri="urn:gov:report" w:element="{}"><w:customXmlPr><w:attr w:name="k" w:val="v"/>' \
         '</w:customXmlPr>'
    wrap(body_par(d, "存在的主要问题"), cx.format("problems"), "</w:customXml>")
    wrap(t3_row(d, "(三)2"), cx.format("row"), "</w:customXml>")
    wrap(t3_cell(d, "(一)", "其他"), cx.format("cell"), "</w:customXml>")
    wrap(body_par(d, "2023年1月20日").find(W + "r"), cx.format("date"), "</w:customXml>")


def fields(d):
    """The 落款: agency from a simple DOCPROPERTY field, date from a complex DATE field (results cached)."""
    set_content(signature(d), '<w:fldSimple w:instr=" DOCPROPERTY  Company  \\* MERGEFORMAT ">'
                + r("某市某某局") + "</w:fldSimple>")
    set_content(body_par(d, "2023年1月20日"),
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r><w:instrText xml:space="preserve"> DATE \\@ "yyyy年M月d日" \\* MERGEFORMAT </w:instrText></w:r>',
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', r("2023年1月20日"),
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def form_fields(d):
    """A legacy text form field (FORMTEXT) holding a figure of the narrative."""
    p = body_par(d, "全年共收到")
    head, tail = APPLIED.split(NEW, 1)
    set_content(p, r(head), '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Text1"/><w:enabled/>'
                '<w:calcOnExit w:val="0"/><w:textInput><w:type w:val="number"/></w:textInput></w:ffData>'
                '</w:fldChar></w:r>', '<w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>',
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', r(NEW),
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>', r(tail))


def footnotes(d):
    """A footnote on a figure (python-docx has no API for footnotes: the part is added by hand)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    decl = f'xmlns:w="{NS["w"]}" xmlns:r="{NS["r"]}"'
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {decl}>'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
           '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
           + r(" 数据来源：本机关政务公开台账，共356条。") + "</w:p></w:footnote></w:footnotes>")
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                xml.encode("utf-8"), d.part.package)
    d.part.relate_to(part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes")
    p = body_par(d, "2022年，本局")
    text = text_of(p)
    head, tail = text.split("356条", 1)
    set_content(p, r(head + "356条"), '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                '<w:footnoteReference w:id="1"/></w:r>', r(tail))


def header_footer(d):
    sec = d.sections[0]
    sec.header.paragraphs[0].text = "某市某某局政务公开"
    fp = sec.footer.paragraphs[0]
    fp._p.append(X(r("— ")))
    for frag in ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                 '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', r("1"),
                 '<w:r><w:fldChar w:fldCharType="end"/></w:r>', r(" —")):
        fp._p.append(X(frag))


def merge_spellings(d):
    """Word writes a vertical-merge continuation as a bare <w:vMerge/> (WPS: w:val="continue")."""
    for vm in d.element.body.iter(W + "vMerge"):
        if vm.get(W + "val") == "continue":
            del vm.attrib[W + "val"]


def nested_table(d):
    """A one-cell table nested in the first header cell of 表二 (a note beside the column title)."""
    tc = tables(d)[0].findall(W + "tr")[0].findall(W + "tc")[0]
    tc.append(X('<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="1000"/>'
                '</w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/></w:tcPr>'
                f'<w:p>{r("注")}</w:p></w:tc></w:tr></w:tbl>'))
    tc.append(X("<w:p/>"))  # Word ends every cell with a paragraph


def textbox_in_cell(d):
    """A text box (a note) anchored in the first header cell of 表二, in Word's spelling and in the VML-only
    spelling of older Word and WPS."""
    box = _textbox(["注"])
    para = tables(d)[0].findall(W + "tr")[0].findall(W + "tc")[0].find(W + "p")
    para.append(X(box))
    vml_only = box[box.index("<mc:Fallback>") + len("<mc:Fallback>"):box.index("</mc:Fallback>")]
    para = tables(d)[2].findall(W + "tr")[0].findall(W + "tc")[0].find(W + "p")
    para.append(X(f"<w:r>{vml_only.replace('>注<', '>说明<')}</w:r>"))


def landscape_section(d):
    """表三 on a landscape page: section breaks (w:pPr/w:sectPr) before and after it."""
    t3 = tables(d)[1]
    portrait = '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" ' \
               'w:left="1800" w:header="851" w:footer="992" w:gutter="0"/>'
    landscape = '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="1800" w:right="1440" ' \
                'w:bottom="1800" w:left="1440" w:header="851" w:footer="992" w:gutter="0"/>'
    t3.addprevious(X(f'<w:p><w:pPr><w:sectPr>{portrait}</w:sectPr></w:pPr></w:p>'))
    t3.addnext(X(f'<w:p><w:pPr><w:sectPr><w:type w:val="nextPage"/>{landscape}</w:sectPr></w:pPr></w:p>'))


VARIANTS = {f.__name__: f for f in (
    tracked_text, tracked_cell, tracked_paragraphs, moved_section, moved_edited_sentence, property_changes,
    hidden_text, sdt_cell_content, sdt_cell, sdt_row, sdt_paragraph, sdt_run, sdt_nested, toc, zero_width,
    textbox_signature, comments, bookmarks, split_runs, smart_tags, custom_xml, fields, form_fields, footnotes,
    header_footer, merge_spellings, nested_table, textbox_in_cell, landscape_section)}


def everything(d):
    """Most constructs at once, each on its own spot (what a long-edited draft looks like)."""
    for name in ("zero_width", "footnotes", "property_changes", "hidden_text", "sdt_row", "sdt_paragraph", "toc",
                 "tracked_paragraphs", "moved_section", "custom_xml", "header_footer",
                 "landscape_section", "textbox_signature"):
        VARIANTS[name](d)


VARIANTS["everything"] = everything


def libreoffice_source(d):
    """What tests/data/libreoffice/drafts2022.docx was saved from (docgen.libreoffice_roundtrip, LibreOffice
    7.4): LibreOffice rewrites revisions, content controls and the text box its own way. Not in VARIANTS:
    LibreOffice 7.4 loses a tracked row deletion (trPr/del) and garbles an rPrChange inside a paragraph-level
    content control, so those are left out of this one."""
    for name in ("zero_width", "tracked_cell", "hidden_text", "sdt_row", "toc", "moved_edited_sentence",
                 "moved_section", "textbox_signature"):
        VARIANTS[name](d)


# --- planted defects: (edit, the build_docx arguments of a plain report with the same defect) ---

def _t3_changed(key: str, col: str, value: int) -> dict:
    data = consistent_data()
    data["t3"][key][T3_COLS.index(col)] = value
    return {"data": data}


def tracked_cell_breaks_total(d):
    """The inserted value (21) is what Word shows: 自然人 no longer adds up."""
    set_content(cell_par(t3_cell(d, "(一)", "自然人")), dele("20"), ins("21"))


def tracked_text_contradicts(d):
    p = body_par(d, "全年共收到")
    head, tail = APPLIED.split(f"申请{NEW}件", 1)
    set_content(p, r(head + "申请"), dele(NEW), ins("45"), r("件" + tail))


def moved_text_contradicts(d):
    """Moved and then edited to a wrong figure; the moved-away copy has the right one."""
    p = body_par(d, "全年共收到")
    head, tail = APPLIED.split(f"申请{NEW}件", 1)
    set_content(p, r(head + "申请"), dele(NEW), ins("45"), r("件" + tail))
    _move([p], body_par(d, "2022年，本局"), "move3", from_text=[APPLIED])


def textbox_wrong_date(d):
    textbox_signature(d, date="2022年12月1日")


def _text_with(old: str, new: str) -> dict:
    text = narrative(consistent_data(), 2022)
    text["一"] = [line.replace(old, new) for line in text["一"]]
    return {"text": text}


DEFECTS = {
    "tracked_cell_breaks_total": (tracked_cell_breaks_total, _t3_changed("(一)", "自然人", 21)),
    "tracked_text_contradicts": (tracked_text_contradicts, _text_with(f"申请{NEW}件", "申请45件")),
    "moved_text_contradicts": (moved_text_contradicts, _text_with(f"申请{NEW}件", "申请45件")),
    "textbox_wrong_date": (textbox_wrong_date, {"date": "2022年12月1日"}),
}


def base_report(path: Path) -> Path:
    return build_docx(path)


def make_variant(base: Path, dst: Path, edit) -> Path:
    """Apply one edit to a copy of the base report (the base file is not touched)."""
    import docx

    d = docx.Document(str(base))
    edit(d)
    d.save(str(dst))
    return Path(dst)


def auto_numbered(base: Path, dst: Path) -> Path:
    """Headings numbered by Word's automatic list numbering (numbering.xml), via a style."""
    return number_headings(base, dst, via_style=True, subheadings=["主动公开", "依申请公开"])
