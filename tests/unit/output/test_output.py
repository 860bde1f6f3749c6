"""Output formats of `gklint check`: full (rich and plain), concise, JSON, SARIF, GitHub, JUnit, statistics."""

import json
import shutil
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from conftest import DATA, ROOT, seed
from docgen import build_docx, consistent_data, narrative

from gklint.cli import main
from gklint.run.engine import check_file
from gklint.output import full

DEFECTS = ROOT / "examples" / "report-2022-defects.docx"
CLEAN = ROOT / "examples" / "report-2022.docx"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(map(str, argv)))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def gk301_docx(tmp_path_factory):
    data = consistent_data()
    data["t3"]["(七)"][0] += 1  # breaks 一+二=(七)+四 for 自然人
    path = tmp_path_factory.mktemp("gk301") / "gk301.docx"
    return build_docx(path, data=data, text=narrative(consistent_data(), 2022))


@pytest.fixture
def hostile_txt(tmp_path):
    """A real report whose text and file name carry rich markup, terminal escapes and a bidi override."""
    text = seed("000").read_text(encoding="utf-8")
    evil = "本委\x1b[2J\x1b]0;pwned\x07[bold red]XX[/bold red]\u202e条。\n本委XX<script>pwned=1</script>件。"
    text = text.replace("一、总体情况\n", "一、总体情况\n" + evil + "\n", 1)
    path = tmp_path / "rep[blink]ort\x1b[31m.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_full_report_draws_the_offending_rows_with_rich(gk301_docx):
    from rich.console import Console

    result = check_file(str(gk301_docx))
    console = Console(record=True, width=200, force_terminal=True, color_system="truecolor")
    full.print_rich(full.render([result], 0.5), console)
    text = console.export_text(clear=False)
    # one wrong cell ((七)总计 of 自然人) breaks GK301, GK302 and GK303: one finding on that cell
    assert [f.code for f in result.findings if f.code.startswith("GK30")] == ["GK302"]
    gk = result.findings[0]
    assert (gk.found, gk.expected) == ("35", "34") and "GK301" in gk.message and "GK303" in gk.message
    assert "GK302" in text and "┌" in text and "└" in text
    # the rows of the identities (一, 二, the results, (七), 四) are drawn, the bad cell marked
    drawing = text[text.index("GK302"):text.index("检查了")]
    assert "自然人" in drawing and "本年新收" in drawing and "结转下年度" in drawing and "予以公开" in drawing
    assert f"{gk.found} → {gk.expected}" in drawing
    assert "检查了 1 个文件" in text and "个错误" in text
    # and the marked cell is coloured on a terminal
    styled = console.export_text(styles=True)
    assert "\x1b[1;31m" in styled or "\x1b[31;1m" in styled


def test_plain_full_report_has_the_same_layout(capsys, gk301_docx):
    code, out, err = run(capsys, "check", gk301_docx)
    assert code == 1
    assert "\x1b[" not in out  # not a terminal: no colour codes
    assert "→" in out and "┌" in out
    assert "检查了 1 个文件" in err


def test_text_finding_marks_the_span(capsys):
    code, out, _ = run(capsys, "check", DEFECTS)
    lines = out.splitlines()
    i = next(i for i, line in enumerate(lines) if "主动公开政府信息  条" in line and "GK503" not in line)
    assert lines[i + 1].strip().startswith("^") and set(lines[i + 1].strip()) == {"^"}


@pytest.mark.parametrize("fmt", ["full", "concise", "github", "json", "sarif", "junit", "html", "csv"])
def test_hostile_document_text_is_inert(capsys, hostile_txt, fmt):
    code, out, err = run(capsys, "check", hostile_txt, "--output-format", fmt)
    assert code == 1
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in out and raw not in err
    if fmt == "full":
        assert "[bold red]XX[/bold red]" in out  # printed literally, not interpreted
    if fmt in ("full", "concise", "github", "html", "csv"):
        assert "rep[blink]ort\\x1b[31m.txt" in out  # the escape is shown, not executed
    if fmt == "html":  # markup is text, only gklint's own script is a script
        assert "[bold red]<mark>XX</mark>[/bold red]" in out and "&lt;script&gt;pwned=1&lt;/script&gt;" in out
        assert out.count("<script") == 1


def test_hostile_text_on_a_rich_terminal(hostile_txt):
    from rich.console import Console

    console = Console(record=True, width=160, force_terminal=True)
    full.print_rich(full.render([check_file(str(hostile_txt))]), console)
    assert "[bold red]XX[/bold red]" in console.export_text(clear=False)
    text = console.export_text(styles=True)
    assert "\x1b[2J" not in text and "\x07" not in text and "\u202e" not in text


def test_concise_and_json(capsys):
    code, out, _ = run(capsys, "check", DEFECTS, CLEAN, "--output-format", "concise")
    assert code == 1
    assert sorted(line.split(": ")[1].split()[0] for line in out.splitlines()) == ["GK304", "GK402", "GK503", "GK504"]
    code, out, _ = run(capsys, "check", DEFECTS, CLEAN, "--output-format", "json")
    data = json.loads(out)
    assert [f["path"] for f in data["files"]] == [str(DEFECTS), str(CLEAN)]
    assert data["summary"]["files"] == 2 and data["summary"]["error"] == 3 and data["summary"]["warning"] == 1
    gk503 = next(f for f in data["files"][0]["findings"] if f["code"] == "GK503")
    s, e = gk503["span"]
    assert gk503["snippet"][s:e] == gk503["found"]


def test_sarif_is_valid_against_the_official_schema(capsys, tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    txt = tmp_path / "001.txt"
    shutil.copy(seed("001"), txt)
    code, out, _ = run(capsys, "check", DEFECTS, CLEAN, txt, bad, "--output-format", "sarif")
    assert code == 3  # a file could not be read
    log = json.loads(out)
    schema = json.loads((DATA / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert {"GK001", "GK301", "GK501"} <= set(ids)
    for result in run_["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    by_code = {r["ruleId"]: r for r in run_["results"]}
    assert by_code["GK304"]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].startswith(
        "表四（政府信息公开行政复议、行政诉讼情况） 「行政复议/总计」列 第4行第5列")
    assert by_code["GK304"]["properties"]["expected"] == "5"
    gk501 = by_code["GK501"]["locations"][0]["physicalLocation"]
    assert gk501["artifactLocation"]["uri"].endswith("001.txt") and gk501["region"]["startLine"] > 1
    assert by_code["GK001"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("broken.docx")


def test_github_annotations(capsys, tmp_path):
    txt = tmp_path / "001.txt"
    shutil.copy(seed("001"), txt)
    code, out, _ = run(capsys, "check", DEFECTS, txt, "--output-format", "github")
    lines = out.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    gk501 = next(line for line in lines if "title=GK501" in line)
    assert ",line=" in gk501 and "file=" in gk501
    assert any("title=GK304" in line and "line=" not in line for line in lines)  # a docx has no lines


def test_junit(capsys, tmp_path):
    bad = tmp_path / "truncated.docx"
    bad.write_bytes(CLEAN.read_bytes()[:5000])
    out_file = tmp_path / "junit.xml"
    code, out, _ = run(capsys, "check", DEFECTS, CLEAN, bad, "--output-format", "junit", "-o", out_file)
    assert code == 3 and out == ""
    root = ET.parse(out_file).getroot()
    assert root.tag == "testsuites" and root.get("tests") == "3"
    assert root.get("failures") == "1" and root.get("errors") == "1"
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases[str(DEFECTS)].find("failure").get("type") == "GK304,GK402,GK503,GK504"
    assert cases[str(bad)].find("error") is not None
    assert list(cases[str(CLEAN)]) == []


def test_statistics(capsys, tmp_path):
    for name, src in (("a.docx", DEFECTS), ("b.docx", DEFECTS), ("c.docx", CLEAN)):
        shutil.copy(src, tmp_path / name)
    code, out, _ = run(capsys, "check", tmp_path, tmp_path / "a.docx", "--statistics")  # a.docx only once
    rows = [line.split("\t") for line in out.splitlines()]
    assert {r[1] for r in rows} == {"GK304", "GK402", "GK503", "GK504"}
    assert all(r[0].strip() == "2" and r[3] == "2 个文件" for r in rows)
    code, out, _ = run(capsys, "check", DEFECTS, "--statistics", "--output-format", "json")
    assert {r["code"]: r["count"] for r in json.loads(out)} == {"GK304": 1, "GK402": 1, "GK503": 1, "GK504": 1}


def test_quiet_prints_findings_only(capsys):
    code, out, err = run(capsys, "check", DEFECTS, "-q", "--output-format", "concise")
    assert code == 1 and len(out.splitlines()) == 4 and err == ""


def test_output_file(capsys, tmp_path):
    target = tmp_path / "out.json"
    code, out, err = run(capsys, "check", DEFECTS, "--output-format", "json", "-o", target)
    assert out == "" and json.loads(target.read_text(encoding="utf-8"))["summary"]["error"] == 3
    code, _, err = run(capsys, "check", DEFECTS, "-o", tmp_path / "missing" / "x.txt")
    assert code == 2 and "missing" in err


def test_rules_and_rule(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "GK001" in out and "GK301" in out and "t3-column-balance" in out
    code, out, _ = run(capsys, "rules", "--format", "json")
    rules = json.loads(out)
    assert all(r["summary"] for r in rules) and len({r["code"] for r in rules}) == len(rules)
    code, out, _ = run(capsys, "rule", "gk301")
    assert code == 0 and "说明：" in out and "示例：" in out and "修改：" in out
    code, _, err = run(capsys, "rule", "GK999")
    assert code == 2 and "GK999" in err


def test_streams_and_colour(tmp_path):
    """NO_COLOR and a pipe both stay plain, in a real process."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": ""}
    p = subprocess.run([sys.executable, "-m", "gklint", "check", str(DEFECTS)], capture_output=True, env=env,
                       timeout=120)
    assert p.returncode == 1 and b"\x1b[" not in p.stdout and "GK304".encode() in p.stdout
