"""`gklint fix`: the corrections gklint is sure of become tracked changes (with a comment each) in a copy of
the Word draft, edits in a copy of a text file; after accepting them gklint finds none of the fixed problems
and nothing new, after rejecting them the text is the original's; ambiguous findings get no fix and a why."""

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from docgen import as_text, build_docx, consistent_data, narrative
from drafts import cell_par, make_variant, t3_cell, tracked_cell, tracked_text
from revisions import accept, libreoffice_accept_all, libreoffice_pdf, reject

from gklint.cli import main
from gklint.readers import read


def _contradiction(d):
    d["t3"]["一"][6] += 1  # 总计 of 一 wrong (42), the sentence "收到…申请41件" right


def _total(d):
    d["t3"]["(七)"][6] += 1


def _blank_total(d):
    d["t3"]["(七)"][6] = None


def _blank_t4_total(d):
    d["t4"][4] = None


PLANTED = {  # name: (data edit, build_docx arguments, the codes fixed)
    "contradiction": (_contradiction, {}, {"GK303", "GK501"}),
    "total": (_total, {}, {"GK302"}),
    "blank_total": (_blank_total, {}, {"GK205", "GK305"}),
    "blank_t4_total": (_blank_t4_total, {}, {"GK205", "GK305"}),
    "period_year": (None, {"period_year": 2021}, {"GK403"}),
}


def planted(tmp_path: Path, names, reviewed: bool = False) -> Path:
    data = consistent_data()
    text = narrative(consistent_data(), 2022)
    kwargs = {}
    for name in names:
        edit, extra, _ = PLANTED[name]
        if edit:
            edit(data)
        kwargs.update(extra)
    path = build_docx(tmp_path / ("plain.docx" if not reviewed else "base.docx"), data=data, text=text, **kwargs)
    if reviewed:  # a draft already under review: others' tracked changes and comments
        def review(d):
            from docx.text.paragraph import Paragraph

            tracked_text(d)
            tracked_cell(d)
            d.add_comment(Paragraph(cell_par(t3_cell(d, "二", "自然人")), d._body).runs, text="请核对", author="审核人")
            d.add_comment(next(p for p in d.paragraphs if p.text.startswith("2022年")).runs, text="可以", author="科长")
        path = make_variant(path, tmp_path / "reviewed.docx", review)
    return path


def findings(path, capsys) -> list[dict]:
    main(["check", str(path), "--output-format", "json", "--no-cache"])
    return json.loads(capsys.readouterr().out)["files"][0]["findings"]


def codes(path, capsys) -> set[str]:
    return {f["code"] for f in findings(path, capsys)}


def texts(path) -> list[str]:
    doc = read(str(path))
    out = []
    for b in doc.blocks:
        out += [b.text] if hasattr(b, "text") else ["\t".join(c.text for c in row) for row in b.rows]
    return out


def test_contradiction_is_one_finding_and_one_fix(tmp_path, capsys):
    src = planted(tmp_path, ["contradiction"])
    found = findings(src, capsys)
    assert [f["code"] for f in found] == ["GK303"], found
    assert (found[0]["found"], found[0]["expected"]) == ("42", "41")
    assert main(["fix", str(src)]) == 0
    out = capsys.readouterr().out
    assert "已修改 GK303 42 → 41" in out
    fixed = accept(tmp_path / "plain.gklint-fix.docx", tmp_path / "accepted.docx")
    assert codes(fixed, capsys) == set()
    body = "\n".join(texts(fixed))
    assert "收到政府信息公开申请41件" in body


def test_contradiction_in_a_text_report(tmp_path, capsys):
    src = tmp_path / "r.txt"
    src.write_text(as_text(planted(tmp_path, ["contradiction"])), encoding="utf-8")
    assert [f["code"] for f in findings(src, capsys)] == ["GK303"]
    assert main(["fix", str(src)]) == 0
    capsys.readouterr()
    assert codes(tmp_path / "r.gklint-fix.txt", capsys) == set()


def test_a_wrong_sentence_beside_a_consistent_table_is_an_unsafe_fix(tmp_path, capsys):
    text = narrative(consistent_data(), 2022)
    text["一"][1] = text["一"][1].replace("申请41件", "申请45件")
    src = build_docx(tmp_path / "s.docx", text=text)
    assert main(["fix", str(src), "--diff"]) == 1
    out = capsys.readouterr().out
    assert "需人工 GK501" in out and "加 --unsafe-fixes 才会修改" in out
    assert not (tmp_path / "s.gklint-fix.docx").exists()
    assert main(["fix", str(src), "--unsafe-fixes"]) == 0
    capsys.readouterr()
    assert codes(accept(tmp_path / "s.gklint-fix.docx", tmp_path / "a.docx"), capsys) == set()


@pytest.mark.parametrize("reviewed", [False, True], ids=["plain", "reviewed"])
@pytest.mark.parametrize("names", [[n] for n in PLANTED] + [["contradiction", "blank_t4_total", "period_year"]],
                         ids=lambda n: "+".join(n))
def test_planted_defects_fixed_by_accepting(tmp_path, capsys, names, reviewed):
    src = planted(tmp_path, names, reviewed)
    before = findings(src, capsys)
    fixed_codes = set().union(*(PLANTED[n][2] for n in names))
    assert {f["code"] for f in before} & fixed_codes
    original = src.read_bytes()
    assert main(["fix", str(src)]) == 0
    capsys.readouterr()
    assert src.read_bytes() == original  # the original is never modified
    copy = src.with_name(src.stem + ".gklint-fix.docx")
    after = findings(accept(copy, tmp_path / "accepted.docx", author="gklint"), capsys)
    assert not {f["code"] for f in after} & fixed_codes, after
    assert {(f["code"], f["message"]) for f in after} <= {(f["code"], f["message"]) for f in before}  # nothing new
    assert texts(reject(copy, tmp_path / "rejected.docx", author="gklint")) == texts(src)
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(copy) as b:
        changed = {"word/document.xml", "word/comments.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"}
        for info in a.infolist():
            if info.filename not in changed:
                assert a.read(info) == b.read(info.filename), info.filename
        doc = b.read("word/document.xml").decode()
        assert 'w:author="gklint"' in doc
        if reviewed:  # the reviewers' own changes and comments are still there
            assert "审核人" in b.read("word/comments.xml").decode() and ">21</w:delText>" in doc
    # idempotent: the accepted copy has nothing left to fix
    accepted = tmp_path / "accepted.docx"
    assert main(["fix", str(accepted), "--diff"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.slow
@pytest.mark.parametrize("reviewed", [False, True], ids=["plain", "reviewed"])
def test_libreoffice_accepts_and_opens_the_copy(tmp_path, capsys, reviewed):
    names = ["contradiction", "blank_t4_total", "period_year"]
    src = planted(tmp_path, names, reviewed)
    before = findings(src, capsys)
    assert main(["fix", str(src)]) == 0
    capsys.readouterr()
    copy = src.with_name(src.stem + ".gklint-fix.docx")
    accepted = libreoffice_accept_all(copy, tmp_path / "lo.docx", tmp_path)
    after = findings(accepted, capsys)
    assert not {f["code"] for f in after} & {"GK303", "GK205", "GK305", "GK403"}, after
    assert {f["code"] for f in after} <= {f["code"] for f in before}
    pdf = libreoffice_pdf(copy, tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    assert "政府信息公开工作年度报告" in text


def test_comment_says_rule_what_and_why(tmp_path, capsys):
    src = planted(tmp_path, ["total"])
    main(["fix", str(src)])
    capsys.readouterr()
    from docx2python import docx2python

    with docx2python(str(tmp_path / "plain.gklint-fix.docx")) as dx:
        (anchor, author, _, text), = dx.comments
    assert author == "gklint"
    assert text.startswith("gklint fix：GK302（错误）把“40”改为“39”（安全）")
    assert "依据：按 GK301、GK302、GK303 的勾稽关系，40 应为 39" in text


def test_ambiguous_defects_get_no_fix_and_a_reason(tmp_path, capsys):
    data = consistent_data()
    data["t4"][0] += 1  # 行政复议 结果维持: one identity, five cells that could each be wrong
    data["t3"]["(七)"] = [None] * 7  # a total row and nothing to compute it from
    data["t3"]["一"] = [None] * 7
    src = build_docx(tmp_path / "a.docx", data=data)
    assert main(["fix", str(src)]) == 1
    out = capsys.readouterr().out
    assert "已修改 0 个问题" in out
    assert "GK304" in out and "无法确定改哪一个" in out
    assert "无法由完整的分项算出" in out
    assert not (tmp_path / "a.gklint-fix.docx").exists()


def test_text_keeps_its_encoding_and_diff_writes_nothing(tmp_path, capsys):
    src = tmp_path / "r.txt"
    src.write_bytes(as_text(planted(tmp_path, ["total"])).replace("\n", "\r\n").encode("gb18030"))
    assert main(["fix", str(src), "--diff"]) == 1
    out = capsys.readouterr().out
    assert "（七）总计\t34\t4\t0\t0\t1\t0\t40\n+" in out and "（七）总计\t34\t4\t0\t0\t1\t0\t39\n" in out
    assert not (tmp_path / "r.gklint-fix.txt").exists()
    assert main(["fix", str(src)]) == 0
    fixed = (tmp_path / "r.gklint-fix.txt").read_bytes()
    old = "（七）总计\t34\t4\t0\t0\t1\t0\t40\r\n".encode("gb18030")
    assert src.read_bytes().count(old) == 1
    assert fixed == src.read_bytes().replace(old, old.replace(b"40", b"39"))


def test_a_damaged_file_exits_3_as_check_does_and_the_others_are_fixed(tmp_path, capsys):
    data = consistent_data()
    _total(data)
    good = build_docx(tmp_path / "good.docx", data=data)
    (tmp_path / "broken.docx").write_bytes(good.read_bytes()[:5000])
    assert main(["fix", str(tmp_path)]) == 3
    assert "broken.docx: 无法读取文件" in capsys.readouterr().err
    assert (tmp_path / "good.gklint-fix.docx").is_file() and not (tmp_path / "broken.gklint-fix.docx").exists()


@pytest.mark.parametrize("suffix", [".html", ".pdf"])
def test_html_and_pdf_cannot_be_fixed(tmp_path, capsys, suffix):
    src = tmp_path / f"r{suffix}"
    src.write_bytes(b"x")
    assert main(["fix", str(src)]) == 2
    assert "无法修改这种文件" in capsys.readouterr().err


def test_batch_summary_and_exit_codes(tmp_path, capsys):
    d = tmp_path / "reports"
    d.mkdir()
    planted(d, ["total"])
    data = consistent_data()
    data["t4"][0] += 1
    build_docx(d / "other.docx", data=data)
    assert main(["fix", str(d)]) == 1
    out = capsys.readouterr().out
    assert "共修改了 1 个问题（1 个文件），1 个问题需人工处理" in out
    assert main(["fix", str(d)]) == 2  # the copies exist: --force to write them again
    assert "已存在" in capsys.readouterr().err
    assert main(["fix", str(d), "--force"]) == 1
    capsys.readouterr()
    # gklint reads tracked changes as accepted: the copy checks as fixed, and is not fixed again
    assert main(["fix", str(d / "plain.gklint-fix.docx"), "--diff"]) == 0
