"""Accepted deviations in the report itself: a Word comment `gklint: ignore …`, a directive line in text,
Markdown and HTML; reported when they have no reason or suppress nothing; --show-suppressed,
--exit-zero and --min-severity."""

import json
import shutil

import docx
import pytest
from conftest import DATA, ROOT, seed

from gklint.cli import main
from gklint.policy.suppress import parse

DEFECTS = ROOT / "examples" / "report-2022-defects.docx"
HTML = DATA / "html" / "report-2022-defects-site-gbk.html"


def check(path, *args, capsys) -> tuple[int, dict]:
    code = main(["check", str(path), "--output-format", "json", "--no-cache", *args])
    return code, json.loads(capsys.readouterr().out)["files"][0]


def codes(entries) -> list[str]:
    return sorted(f["code"] for f in entries)


@pytest.mark.parametrize("text,expected", [
    ("gklint: ignore GK501 口径不同", (("GK501",), "口径不同")),
    ("gklint：ignore GK501,GK304、GK5 理由：经审核", (("GK501", "GK304", "GK5"), "理由：经审核")),
    ("<!-- gklint: ignore gk503 暂缺 -->", (("GK503",), "暂缺")),
    ("GKLINT: ignore GK304", (("GK304",), "")),
    ("gklint: ignore 没写代码", ((), "没写代码")),
    ("gklint: ignored GK501", None),
    ("请 gklint: ignore GK501", None),
])
def test_directive_syntax(text, expected):
    assert parse(text) == expected


def _commented(dst):
    """The defects draft with three comments: one accepting the placeholder with a reason, one on the
    T4 total cell without a reason, and one on a paragraph where GK501 never fires."""
    d = docx.Document(str(DEFECTS))
    p = next(p for p in d.paragraphs if "主动公开政府信息" in p.text)
    d.add_comment(p.runs, text="gklint: ignore GK503 本局当年未统计该数据", author="张三")
    cell = d.tables[2].cell(3, 4)
    assert cell.text == "7"
    d.add_comment(cell.paragraphs[0].runs, text="gklint: ignore GK304", author="张三")
    q = next(p for p in d.paragraphs if p.text.startswith("存在的主要问题"))
    d.add_comment(q.runs, text="gklint: ignore GK501 与表格口径一致", author="张三")
    d.save(str(dst))
    return dst


def test_word_comment_route(tmp_path, capsys):
    _, plain = check(DEFECTS, capsys=capsys)
    assert {"GK503", "GK304"} <= set(codes(plain["findings"]))
    src = _commented(tmp_path / "draft.docx")
    code, f = check(src, "--show-suppressed", capsys=capsys)
    assert code == 1  # GK504 and GK402 remain
    assert codes(f["findings"]) == sorted(set(codes(plain["findings"])) - {"GK503", "GK304"} | {"GK005", "GK006"})
    by = {s["code"]: s for s in f["suppressed"]}
    assert by["GK503"]["by"] == "comment" and by["GK503"]["reason"] == "本局当年未统计该数据"
    assert by["GK304"]["by"] == "comment" and by["GK304"]["reason"] == ""
    assert by["GK304"]["location"]["grid_row"] == 4 and by["GK304"]["location"]["grid_col"] == 5
    gk005 = next(x for x in f["findings"] if x["code"] == "GK005")
    assert gk005["severity"] == "info" and "GK304" in gk005["message"]
    assert (gk005["location"]["grid_row"], gk005["location"]["grid_col"]) == (4, 5)
    gk006 = next(x for x in f["findings"] if x["code"] == "GK006")
    assert "GK501" in gk006["message"]
    # without --show-suppressed the JSON has no such list; the summary counts only what is shown
    _, f = check(src, capsys=capsys)
    assert "suppressed" not in f


def test_word_comment_covers_only_its_own_cell(tmp_path, capsys):
    d = docx.Document(str(DEFECTS))
    cell = d.tables[2].cell(3, 3)  # 尚未审结, next to the total that is wrong
    d.add_comment(cell.paragraphs[0].runs, text="gklint: ignore GK304 已核对", author="张三")
    d.save(str(tmp_path / "x.docx"))
    _, f = check(tmp_path / "x.docx", capsys=capsys)
    assert "GK304" in codes(f["findings"]) and "GK006" in codes(f["findings"])


def test_word_comment_over_a_whole_row(tmp_path, capsys):
    d = docx.Document(str(DEFECTS))
    cells = d.tables[2].rows[3].cells
    first, last = cells[0].paragraphs[0].runs[0], cells[-1].paragraphs[0].runs[-1]
    d.add_comment([first, last], text="gklint: ignore GK3 整行已与法制科核对", author="张三")
    d.save(str(tmp_path / "row.docx"))
    _, f = check(tmp_path / "row.docx", "--show-suppressed", capsys=capsys)
    assert "GK304" not in codes(f["findings"]) and "GK006" not in codes(f["findings"])
    s = next(s for s in f["suppressed"] if s["code"] == "GK304")
    assert (s["by"], s["reason"]) == ("comment", "整行已与法制科核对")


def test_line_route_in_markdown_and_text(tmp_path, capsys):
    lines = seed("001").read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "依法办结依申请公开 3 件" in line)
    date = next(i for i, line in enumerate(lines) if line.strip() == "2020年1月29日")
    _, plain = check(seed("001"), capsys=capsys)
    assert {"GK501", "GK401"} <= set(codes(plain["findings"]))
    md = lines[:date] + ["gklint: ignore GK401"] + lines[date:]
    md = md[:at] + ["<!-- gklint: ignore GK501 表中含上年结转件数，口径不同 -->"] + md[at:]
    (tmp_path / "r.md").write_text("\n".join(md), encoding="utf-8")
    _, f = check(tmp_path / "r.md", "--show-suppressed", capsys=capsys)
    assert codes(f["suppressed"]) == ["GK401", "GK501"]
    assert {s["code"]: s["by"] for s in f["suppressed"]} == {"GK401": "line", "GK501": "line"}
    assert next(s for s in f["suppressed"] if s["code"] == "GK501")["reason"] == "表中含上年结转件数，口径不同"
    assert codes(f["findings"]) == sorted(set(codes(plain["findings"])) - {"GK501", "GK401"} | {"GK005"})
    # the directive applies to the next element only: one line too early, it suppresses nothing
    early = lines[:at - 2] + ["gklint: ignore GK501 口径不同"] + lines[at - 2:]
    (tmp_path / "early.txt").write_text("\n".join(early), encoding="gb18030")
    _, f = check(tmp_path / "early.txt", capsys=capsys)
    assert "GK501" in codes(f["findings"]) and "GK006" in codes(f["findings"])


def test_line_route_hidden_in_html_comment(tmp_path, capsys):
    raw = HTML.read_bytes().decode("gbk")
    _, plain = check(HTML, capsys=capsys)
    gk503 = next(x for x in plain["findings"] if x["code"] == "GK503")
    start = raw.index("公开政府信息")
    p = raw.rindex("<p", 0, start)
    page = raw[:p] + "<!-- gklint: ignore GK503 数据待统计 -->" + raw[p:]
    (tmp_path / "page.html").write_bytes(page.encode("gbk"))
    _, f = check(tmp_path / "page.html", "--show-suppressed", capsys=capsys)
    assert "GK503" not in codes(f["findings"])
    s = next(s for s in f["suppressed"] if s["code"] == "GK503")
    assert (s["by"], s["reason"], s["message"]) == ("line", "数据待统计", gk503["message"])
    assert codes(f["findings"]) == sorted(set(codes(plain["findings"])) - {"GK503"})


def test_config_route_is_shown_with_its_setting(tmp_path, capsys):
    shutil.copy(DEFECTS, tmp_path / "r.docx")
    (tmp_path / "gklint.toml").write_text('[per-file-ignores]\n"r.docx" = ["GK402"]\n', encoding="utf-8")
    _, f = check(tmp_path / "r.docx", "--show-suppressed", capsys=capsys)
    assert "GK402" not in codes(f["findings"])
    s = next(s for s in f["suppressed"] if s["code"] == "GK402")
    assert s["by"] == "config" and "per-file-ignores" in s["reason"] and "r.docx" in s["reason"]


def test_show_suppressed_in_line_formats_and_extract(tmp_path, capsys):
    src = _commented(tmp_path / "draft.docx")
    for fmt in ("concise", "full"):
        main(["check", str(src), "--output-format", fmt, "--show-suppressed", "--no-cache"])
        out = capsys.readouterr().out
        assert "已忽略的问题（2 个）" in out
        line = next(x for x in out.splitlines() if "GK503 [已忽略" in x)
        assert "Word 批注：本局当年未统计该数据" in line
    main(["check", str(src), "--output-format", "concise", "--no-cache"])
    assert "已忽略" not in capsys.readouterr().out
    assert main(["extract", str(src), "--show-suppressed"]) == 0
    out = capsys.readouterr().out
    assert "## 已忽略的问题" in out and "本局当年未统计该数据" in out
    assert main(["extract", str(src), "--show-suppressed", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {s["code"]: s["by"] for s in data["suppressed"]} == {"GK503": "comment", "GK304": "comment"}


def test_annotated_copy_leaves_accepted_findings_out(tmp_path, capsys):
    from docx2python import docx2python

    src = _commented(tmp_path / "draft.docx")
    assert main(["annotate", str(src)]) == 0
    with docx2python(str(tmp_path / "draft.gklint.docx")) as dx:
        ours = [c[3] for c in dx.comments if c[1] == "gklint"]
    assert not any(c.startswith(("GK503", "GK304")) for c in ours)
    assert any(c.startswith("GK504") for c in ours) and any(c.startswith("GK005") for c in ours)


def test_exit_zero_and_min_severity(tmp_path, capsys):
    code, f = check(DEFECTS, "--exit-zero", capsys=capsys)
    assert code == 0 and len(f["findings"]) >= 4
    code, f = check(DEFECTS, "--min-severity", "error", capsys=capsys)
    assert code == 1 and {x["severity"] for x in f["findings"]} == {"error"}
    assert "GK402" not in codes(f["findings"])
    # config key; a warning hidden by the threshold does not fail the run
    shutil.copy(DEFECTS, tmp_path / "r.docx")
    (tmp_path / "gklint.toml").write_text('min-severity = "error"\nignore = ["GK3", "GK5"]\n', encoding="utf-8")
    code, f = check(tmp_path / "r.docx", capsys=capsys)
    assert code == 0 and f["findings"] == []
    code, f = check(tmp_path / "r.docx", "--min-severity", "warning", capsys=capsys)
    assert code == 1 and codes(f["findings"]) == ["GK402"]
    (tmp_path / "gklint.toml").write_text('min-severity = "fatal"\n', encoding="utf-8")
    assert main(["check", str(tmp_path / "r.docx")]) == 2
    assert "min-severity" in capsys.readouterr().err


@pytest.mark.parametrize("code,words", [("GK005", "理由"), ("GK006", "RUF100")])
def test_rule_explains_new_codes(capsys, code, words):
    assert main(["rule", code]) == 0
    out = capsys.readouterr().out
    assert out.startswith(code) and words in out and "修改：" in out
