"""PDF reports (pdfplumber): the three real published PDFs of tests/data/pdf (see SOURCES.md there)."""

import json
import subprocess
import sys

from conftest import DATA, ROOT

from gklint.cli import main
from gklint.run.engine import check_file

PDF = DATA / "pdf"
SERIOUS = ("error", "warning")


def findings(name):
    return [f for f in check_file(str(PDF / name)).findings if f.severity in SERIOUS]


def test_hzq2023_table_four_totals():
    """行政复议 维持 10, 纠正 1, 总计 0; 复议后起诉 维持 5, 总计 0 — as printed."""
    gk304 = {f.location["column"]: (f.found, f.expected) for f in findings("hzq2023_working.pdf") if f.code == "GK304"}
    assert gk304 == {"行政复议/总计": ("0", "11"), "复议后起诉/总计": ("0", "5")}


def test_hzq2024_narrative_against_table_three():
    (gk501,) = [f for f in findings("hzq2024_working.pdf") if f.code == "GK501"]
    assert (gk501.found, gk501.expected) == ("17", "95") and "受理政府信息公开申请17件" in gk501.message


def test_no_arithmetic_finding_the_printed_numbers_do_not_support():
    assert [f.code for f in findings("hzq2023_working.pdf") if f.code.startswith("GK3")] == ["GK304", "GK304"]
    assert [f.code for f in findings("hzq2024_working.pdf") if f.code.startswith("GK3")] == []
    assert findings("szfgs2024.pdf") == []  # table 三 spans a page break and is stitched back


def test_table_three_across_a_page_break(capsys):
    assert main(["extract", "--format", "json", str(PDF / "szfgs2024.pdf")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reader"] == "pdf (pdfplumber)"
    total = {r["key"]: next(c["value"] for c in r["cells"] if c["column"] == "总计")
             for r in data["tables"]["T3"]["rows"]}
    assert (total["一"], total["二"], total["(七)"], total["四"]) == ("3119", "34", "3050", "103")
    assert [s["key"] for s in data["sections"]] == ["一", "二", "三", "四", "五", "六"]
    assert data["statistical_period"]["start"] == "2024-01-01"


def test_pdf_without_a_text_layer(tmp_path):
    """A scanned report: one page with only a drawing. Told apart from a report missing every section."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"]
    stream = b"0 0 1 rg 100 100 300 500 re f"
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path = tmp_path / "scan.pdf"
    path.write_bytes(out)
    (f,) = check_file(str(path)).findings
    assert f.code == "GK001" and "OCR" in f.message


def test_clear_message_without_pdfplumber(tmp_path):
    code = ("import sys; sys.modules['pdfplumber'] = None\n"  # as if the extra were not installed
            "from gklint.cli import main; sys.exit(main(['check', '--no-cache', '--output-format', 'concise', "
            f"{str(PDF / 'szfgs2024.pdf')!r}]))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.returncode == 3 and "Traceback" not in p.stderr
    # what to type, in a clone or not, and what to add to a pre-commit configuration
    assert "pip install pdfplumber" in p.stdout and "additional_dependencies: [pdfplumber]" in p.stdout


def test_pdfplumber_is_installed_with_gklint():
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(d.replace(" ", "").startswith("pdfplumber>=") for d in data["project"]["dependencies"])


def test_row_split_by_a_page_break_is_joined():
    from gklint.document import Cell, Loc, Table
    from gklint.readers.pdf import stitch

    def table(*rows):
        return Table([[Cell(t, Loc()) for t in r] for r in rows], Loc())

    # values split: "5.要求行政机关确认或重新出具已获取信息" with its last two values on the next page
    first = table(["4.无正当理由大量反复申请", "0", "0", "0"], ["5.要求行政机关确认或重新出具", "1", "", ""])
    first_more = table(["已获取信息", "", "2", "3"], ["（六）其他处理", "0", "0", "0"])
    stitch(first, first_more)
    assert [[c.text for c in r] for r in first.rows] == [
        ["4.无正当理由大量反复申请", "0", "0", "0"], ["5.要求行政机关确认或重新出具已获取信息", "1", "2", "3"],
        ["（六）其他处理", "0", "0", "0"]]
    # a whole row on each page: nothing merged
    second = table(["1.信访举报投诉类申请", "0", "0", "0"])
    stitch(second, table(["2.重复申请", "1", "0", "1"]))
    assert len(second.rows) == 2
