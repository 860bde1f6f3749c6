"""Region totals as files an office works with: a text summary, an Excel workbook (one sheet per table and
a 报告 sheet) and a Word document whose tables can be pasted into the region's own report. The .docx is a
minimal hand-built package (python-docx is only a test dependency)."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from gklint.output.rollup import Rollup
from gklint.output.text import clean

SHEETS = {"T2": "表二", "T3": "表三", "T4": "表四"}


def _columns(table: dict) -> list[str]:
    cols: list[str] = []
    for row in table["rows"]:
        for c in row["cells"]:
            if c["column"] not in cols:
                cols.append(c["column"])
    return cols


def _grid(table: dict) -> tuple[list[str], list[list[str]]]:
    """Column names and, per row, its label and summed values ('' where a row has no such column)."""
    cols = _columns(table)
    rows = []
    for row in table["rows"]:
        by = {c["column"]: c for c in row["cells"]}
        rows.append([row["label"]] + [(by[c]["value"] + ("*" if by[c].get("incomplete") else "")) if c in by else ""
                                      for c in cols])
    return cols, rows


def blocks(table: dict) -> list[tuple[list[str], list[list[str]]]]:
    """The table as the template prints it: consecutive rows with the same columns under their own header
    (表二's 规章/行政规范性文件 under 本年制发件数…, 行政许可 under 本年处理决定数量 …); 表三 and 表四 are one block."""
    out: list[tuple[list[str], list[list[str]]]] = []
    for row in table["rows"]:
        cols = [c["column"] for c in row["cells"]]
        values = [row["label"]] + [c["value"] + ("*" if c.get("incomplete") else "") for c in row["cells"]]
        if out and out[-1][0] == cols:
            out[-1][1].append(values)
        else:
            out.append((cols, [values]))
    return out


def heading(r: Rollup) -> str:
    year = f"{r.year}年度" if r.year else "（年度未定）"
    line = f"汇总了 {len(r.reports)} 份{year}报告的表二、表三、表四"
    unreadable = sum(1 for x in r.not_read if x["reason"].startswith("无法读取"))
    return line + (f"；{len(r.not_read)} 个文件未汇总" + (f"（{unreadable} 个无法读取）" if unreadable else "") + "。"
                   if r.not_read else "。")


def as_text(r: Rollup) -> str:
    lines = [heading(r)]
    if r.not_read:
        lines += ["", "未汇总的文件："] + [f"  {x['path']}：{x['reason']}" for x in r.not_read]
    noted = [x for x in r.reports if x["notes"]]
    if noted:
        lines += ["", "说明："]
        for x in noted:
            lines += [f"  {x['path']}：{n}" for n in x["notes"]]
    for key, t in r.tables.items():
        lines += ["", f"## {t['name']}：{t['title']}"]
        for cols, rows in blocks(t):
            lines += ["", "| 行 | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
            lines += ["| " + " | ".join(_md(v) for v in row) + " |" for row in rows]
    if any(c.get("incomplete") for t in r.tables.values() for row in t["rows"] for c in row["cells"]):
        lines += ["", "* 有部门报告的这个单元格未能计入（见上面的说明）。"]
    return clean("\n".join(lines), keep_newlines=True) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or " "


def as_xlsx(r: Rollup) -> bytes:
    from gklint.output.xlsx import new_workbook, save, sheet

    wb = new_workbook()
    first = True
    for key, t in r.tables.items():
        cols, rows = _grid(t)
        values = [[row[0]] + [_number(v) for v in row[1:]] for row in rows]
        sheet(wb, SHEETS.get(key, key), ["行"] + cols, values, first=first)
        first = False
    listed = [[x["path"], x["agency"], x["year"], "已汇总", "；".join(x["notes"])] for x in r.reports]
    listed += [[x["path"], "", None, "未汇总", x["reason"]] for x in r.not_read]
    sheet(wb, "报告", ["文件", "机关", "年度", "状态", "说明"], listed, first=first)
    return save(wb)


def _number(text: str):
    """A summed value as a number cell (int where whole); an incomplete one ('12*') stays text."""
    from decimal import Decimal, InvalidOperation

    try:
        d = Decimal(text)
    except InvalidOperation:
        return text
    return int(d) if d == d.to_integral_value() and "." not in text else float(d)


# --- Word ---

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')
_BORDERS = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                   for side in ("top", "left", "bottom", "right", "insideH", "insideV"))


def _text(text: str) -> str:
    import re

    return escape(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text))


def _par(text: str, bold: bool = False, center: bool = False, size: int | None = None) -> str:
    ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    rpr = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "")
    return (f'<w:p>{ppr}<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}'
            f'<w:t xml:space="preserve">{_text(text)}</w:t></w:r></w:p>')


TEXT_WIDTH = 14570  # twips between the margins of a landscape A4 page
LABEL_WIDTH = 4000  # the row labels' column: 表三's long labels wrap less


def _cell(text: str, width: int, span: int = 1, bold: bool = False, center: bool = True) -> str:
    tcpr = f'<w:tcW w:w="{width * span}" w:type="dxa"/>' + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{_par(text, bold=bold, center=center, size=18)}</w:tc>"


def _table(cols: list[str], rows: list[list[str]]) -> str:
    """The template's layout as far as simple: a header row of column groups ('行政复议' over its five
    columns) when the columns have them, the column names, then a row per template row."""
    label = LABEL_WIDTH if len(cols) < 10 else LABEL_WIDTH // 3  # 表四's fifteen columns need the room
    w = (TEXT_WIDTH - label) // len(cols)
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="{label + w * len(cols)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
           f'<w:tblBorders>{_BORDERS}</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="{label}"/>'
           + f'<w:gridCol w:w="{w}"/>' * len(cols) + '</w:tblGrid>']
    groups = [c.split("/", 1)[0] if "/" in c else "" for c in cols]
    if any(groups):
        cells, i = [_cell("", label, bold=True)], 0
        while i < len(cols):
            j = i
            while j < len(cols) and groups[j] == groups[i]:
                j += 1
            cells.append(_cell(groups[i], w, span=j - i, bold=True))
            i = j
        out.append("<w:tr>" + "".join(cells) + "</w:tr>")
    out.append("<w:tr>" + _cell("", label, bold=True)
               + "".join(_cell(c.split("/", 1)[-1], w, bold=True) for c in cols) + "</w:tr>")
    for row in rows:
        out.append("<w:tr>" + _cell(row[0], label, center=False) + "".join(_cell(v, w) for v in row[1:]) + "</w:tr>")
    return "".join(out) + "</w:tbl>"


def as_docx(r: Rollup) -> bytes:
    body = [_par(f"{r.year or ''}年度政府信息公开工作年度报告统计表汇总", bold=True, center=True, size=32),
            _par(heading(r))]
    for key, t in r.tables.items():
        body.append(_par(f"{t['name']}　{t['title']}", bold=True))
        for cols, rows in blocks(t):
            body += [_table(cols, rows), _par("")]
    if any(c.get("incomplete") for t in r.tables.values() for row in t["rows"] for c in row["cells"]):
        body.append(_par("* 有部门报告的这个单元格未能计入。"))
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
                + "".join(body) + '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
                '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="0" w:footer="0"'
                ' w:gutter="0"/></w:sectPr></w:body></w:document>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                           ("word/document.xml", document)):
            z.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), data.encode("utf-8"),
                       compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
