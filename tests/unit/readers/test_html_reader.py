"""Saved web pages: site chrome dropped, charset from the meta tag or sniffed, rowspan/colspan exact."""

import json

from conftest import DATA, ROOT

from gklint.cli import main
from gklint.run.engine import check_file
from gklint.readers import read

DOCX = ROOT / "examples" / "report-2022-defects.docx"
# LibreOffice 7.4's HTML export of DOCX, wrapped in a county government site page (header, search box,
# navigation, breadcrumbs, publication info, share bar, related links, footer), saved in GBK.
SITE = DATA / "html" / "report-2022-defects-site-gbk.html"



def extract(capsys, path) -> dict:
    assert main(["extract", "--format", "json", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


def values(data: dict) -> dict:
    return {(t, r["key"], c["column"]): c["value"]
            for t, table in data["tables"].items() for r in table["rows"] for c in r["cells"]}


def test_site_page_gives_the_docx_values_and_findings(capsys):
    page, docx = extract(capsys, SITE), extract(capsys, DOCX)
    assert page["reader"].startswith("html") and page["encoding"] == "gb18030"
    assert len(values(docx)) > 150 and values(page) == values(docx)
    assert [s["key"] for s in page["sections"]] == ["一", "二", "三", "四", "五", "六"]
    assert page["title"] == docx["title"]
    assert page["publication_date"]["date"] == docx["publication_date"]["date"] == "2023-02-10"
    codes = lambda p: sorted(f.code for f in check_file(str(p)).findings)  # noqa: E731
    assert codes(SITE) == codes(DOCX) == ["GK304", "GK402", "GK503", "GK504"]
    doc = read(str(SITE))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "首页" not in text and "版权所有" not in text and "分享到" not in text and "相关链接" not in text


def test_spans_nbsp_and_charset_sniffing(tmp_path):
    page = ("<html><body><div class='content'><p>某局2022年政府信息公开工作年度报告</p>"
            "<table><tr><td rowspan='2'>甲</td><td colspan='2'>乙</td><td>&nbsp;</td></tr>"
            "<tr><td><span lang=EN-US style='font-family:宋体'>1<o:p></o:p></span></td><td>2</td><td rowspan='2'>3</td></tr><tr><td>4</td><td>5</td><td>6</td></tr></table>"
            "<p>第一行<br>第二行</p></div></body></html>")
    path = tmp_path / "no-meta.htm"
    path.write_bytes(page.encode("gb18030"))  # no charset declared: sniffed
    doc = read(str(path))
    assert doc.encoding == "gb18030"
    (table,) = doc.tables
    grid = [[(c.text, c.kind) for c in row] for row in table.rows]
    assert grid == [
        [("甲", "o"), ("乙", "o"), ("", "h"), ("", "o")],
        [("", "v"), ("1", "o"), ("2", "o"), ("3", "o")],
        [("4", "o"), ("5", "o"), ("6", "o"), ("", "v")],
    ]
    assert [p.text for p in doc.paragraphs] == ["某局2022年政府信息公开工作年度报告", "第一行", "第二行"]
