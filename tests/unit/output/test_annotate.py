"""`gklint annotate`: every finding becomes a Word comment on the cell or words it is about, in a copy;
the draft itself, its text, its own comments and tracked changes stay as they were."""

import hashlib
import json
import shutil
import zipfile

import docx
import pytest
from conftest import DATA, ROOT
from docx2python import docx2python
from lxml import etree

from gklint.readers.docx import locate
from gklint.cli import main
from gklint.readers import read

DEFECTS = ROOT / "examples" / "report-2022-defects.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def findings_of(path, capsys) -> list[dict]:
    main(["check", str(path), "--output-format", "json", "--no-cache"])
    return json.loads(capsys.readouterr().out)["files"][0]["findings"]


def comments_of(path) -> list[tuple[str, str, str]]:
    """(anchored text, author, comment text) of every comment, as docx2python reads them."""
    with docx2python(str(path)) as dx:
        return [(c[0], c[1], c[3]) for c in dx.comments]


def annotated(tmp_path, src=DEFECTS, name="out.docx") -> str:
    out = tmp_path / name
    assert main(["annotate", str(src), "-o", str(out)]) == 0
    return out


def reader_text(doc, loc: dict) -> str:
    """What gklint itself read at a finding's location: the cell at its grid position, or its paragraph."""
    if "table_index" in loc:
        return doc.tables[loc["table_index"] - 1].rows[loc["grid_row"] - 1][loc["grid_col"] - 1].text
    return next(p.text for p in doc.paragraphs if p.loc.para == loc["para"])


def test_every_finding_is_a_comment_on_its_cell_or_span(tmp_path, capsys):
    found = findings_of(DEFECTS, capsys)
    assert len(found) >= 4
    out = annotated(tmp_path)
    comments = [c for c in comments_of(out) if c[1] == "gklint"]
    assert len(comments) == len(found)
    doc = read(str(DEFECTS))
    severity = {"error": "错误", "warning": "警告", "info": "提示"}
    for f in found:
        head = f"{f['code']}（{severity[f['severity']]}）{f['message']}"
        anchor, _, text = next(c for c in comments if c[2].startswith(head))
        if "expected" in f:
            assert f"应为：{f['expected']}；实际：{f.get('found', '—')}" in text
        loc = f["location"]
        if f.get("snippet"):
            assert anchor == f["snippet"][f["span"][0]:f["span"][1]]
        elif "table_index" in loc:
            assert anchor == reader_text(doc, loc)
            cell = next((c for c in loc.get("cells", []) if (c["grid_row"], c["grid_col"]) ==
                         (loc["grid_row"], loc["grid_col"])), None)
            if cell:  # an identity: on the cell named in the finding, with the value it reports
                assert anchor == cell["value"]
        else:
            assert anchor == reader_text(doc, loc).removeprefix(
                next(p.auto_number for p in doc.paragraphs if p.loc.para == loc["para"]))
            if "section" in loc:  # on the section's heading
                assert anchor.startswith(loc["section"] + "、")
    d = docx.Document(str(out))
    ours = [c for c in d.comments if c.author == "gklint"]
    assert len(ours) == len(found) and all(c.initials == "GK" for c in ours)


def test_text_and_tables_unchanged_and_original_untouched(tmp_path):
    src = tmp_path / "报告.docx"
    shutil.copy(DEFECTS, src)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    assert main(["annotate", str(src)]) == 0
    out = tmp_path / "报告.gklint.docx"
    assert out.exists()
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    with docx2python(str(src)) as a, docx2python(str(out)) as b:
        assert a.text == b.text
        assert a.body == b.body
    with zipfile.ZipFile(src) as za, zipfile.ZipFile(out) as zb:
        changed = {n for n in za.namelist() if za.read(n) != zb.read(n)}
        assert changed <= {"word/document.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"}
        assert "word/comments.xml" in zb.namelist()


def _with_comment_revision_bookmark(src, dst):
    """The defects draft with a reviewer's comment, a tracked insertion and deletion, and a bookmark."""
    d = docx.Document(str(src))
    p = next(p for p in d.paragraphs if p.text.startswith("全年共收到"))
    d.add_comment(p.runs, text="请核对申请数", author="张三", initials="ZS")
    q = next(p for p in d.paragraphs if p.text.startswith("存在的主要问题"))
    ins = etree.SubElement(q._p, W + "ins", {W + "id": "901", W + "author": "李四", W + "date": "2023-01-05T00:00:00Z"})
    etree.SubElement(etree.SubElement(ins, W + "r"), W + "t").text = "（已整改）"
    dl = etree.SubElement(q._p, W + "del", {W + "id": "902", W + "author": "李四", W + "date": "2023-01-05T00:00:00Z"})
    etree.SubElement(etree.SubElement(dl, W + "r"), W + "delText").text = "旧的说法"
    q._p.insert(1, etree.Element(W + "bookmarkStart", {W + "id": "0", W + "name": "问题"}))
    q._p.append(etree.Element(W + "bookmarkEnd", {W + "id": "0"}))
    d.save(str(dst))
    return dst


def test_own_comments_revisions_and_bookmarks_are_kept(tmp_path, capsys):
    src = _with_comment_revision_bookmark(DEFECTS, tmp_path / "draft.docx")
    found = findings_of(src, capsys)
    out = annotated(tmp_path, src)
    comments = comments_of(out)
    assert ("全年共收到政府信息公开申请41件，上年结转2件，办结39件，结转下年度继续办理4件。"
            "因政府信息公开工作被申请行政复议7件，被提起行政诉讼4件。", "张三", "请核对申请数") in comments
    assert len([c for c in comments if c[1] == "gklint"]) == len(found)
    d = docx.Document(str(out))
    ids = [c.comment_id for c in d.comments]
    assert len(ids) == len(set(ids)) == len(found) + 1
    root = d.element.body
    assert [e.get(W + "author") for e in root.iter(W + "ins", W + "del")] == ["李四", "李四"]
    assert [t.text for t in root.iter(W + "delText")] == ["旧的说法"]
    marks = [b.get(W + "name") for b in root.iter(W + "bookmarkStart")]
    assert "问题" in marks
    assert marks == [b.get(W + "name") for b in docx.Document(str(src)).element.body.iter(W + "bookmarkStart")]
    # the copy reads as the draft does: same findings, and annotating the copy again adds to its comments
    assert findings_of(out, capsys) == found
    again = annotated(tmp_path, out, "again.docx")
    assert len(comments_of(again)) == len(comments) + len(found)


def test_existing_output_is_kept_without_force(tmp_path, capsys):
    out = tmp_path / "out.docx"
    out.write_bytes(b"keep me")
    assert main(["annotate", str(DEFECTS), "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_bytes() == b"keep me"
    assert main(["annotate", str(DEFECTS), "-o", str(out), "--force"]) == 0
    assert zipfile.is_zipfile(out)


@pytest.mark.parametrize("name", ["report.txt", "report.html", "report.pdf"])
def test_non_docx_input_is_refused_by_name(tmp_path, capsys, name):
    src = tmp_path / name
    src.write_text("某县2022年政府信息公开工作年度报告", encoding="utf-8")
    assert main(["annotate", str(src)]) == 2
    err = capsys.readouterr().err
    assert name in err and ".docx" in err
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_unreadable_docx_gives_no_output(tmp_path, capsys):
    src = tmp_path / "broken.docx"
    src.write_bytes(DEFECTS.read_bytes()[:2000])
    assert main(["annotate", str(src)]) == 3  # could not be read, as in gklint check
    assert "broken.docx" in capsys.readouterr().err
    assert not (tmp_path / "broken.gklint.docx").exists()


def test_check_annotate_writes_copies_of_the_batch(tmp_path, capsys, monkeypatch):
    batch = tmp_path / "batch"
    (batch / "sub").mkdir(parents=True)
    shutil.copy(DEFECTS, batch / "a.docx")
    shutil.copy(ROOT / "examples" / "report-2022.docx", batch / "sub" / "b.docx")
    shutil.copy(DATA / "seeds" / "001_4d9a4a9cceefb299.txt", batch / "c.txt")
    monkeypatch.chdir(tmp_path)
    code = main(["check", "batch", "--annotate", "out", "--output-format", "json", "--no-cache"])
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert code == 1
    assert "c.txt" in captured.err and ".docx" in captured.err
    per_file = {f["path"].replace("\\", "/"): len(f["findings"]) for f in data["files"]}
    a, b = tmp_path / "out" / "batch" / "a.gklint.docx", tmp_path / "out" / "batch" / "sub" / "b.gklint.docx"
    assert a.exists() and b.exists()
    assert len([c for c in comments_of(a) if c[1] == "gklint"]) == per_file["batch/a.docx"] > 0
    assert len([c for c in comments_of(b) if c[1] == "gklint"]) == per_file["batch/sub/b.docx"]
    assert not list((tmp_path / "out").rglob("c*"))


def test_file_level_finding_goes_on_the_title(tmp_path, capsys):
    """A report without a date: GK404 has no location and is anchored on the title paragraph."""
    d = docx.Document(str(DEFECTS))
    last = next(p for p in reversed(d.paragraphs) if p.text.strip())
    assert "2023年" in last.text
    last._p.getparent().remove(last._p)
    src = tmp_path / "nodate.docx"
    d.save(str(src))
    found = findings_of(src, capsys)
    gk404 = next(f for f in found if f["code"] == "GK404")
    assert not ({"para", "table_index"} & set(gk404["location"]))
    out = annotated(tmp_path, src)
    anchor = next(c[0] for c in comments_of(out) if c[2].startswith("GK404"))
    assert anchor == "某县市场监督管理局2022年政府信息公开工作年度报告"


@pytest.mark.parametrize("path", [DEFECTS, ROOT / "examples" / "report-2022.docx",
                                  *sorted((DATA / "libreoffice").glob("*.docx"))], ids=lambda p: p.name)
def test_locator_finds_what_the_reader_read(path):
    """Each paragraph and each table cell gklint reports maps to the XML element with that text."""
    doc = read(str(path))
    root = locate.parse_xml(doc.source.parts["word/document.xml"])
    loc = locate.Locator(root, locate.numbered(doc.source))
    squash = lambda s: "".join(s.split())  # noqa: E731
    for p in doc.paragraphs:
        el = loc.paragraph(p.loc.para)
        assert el is not None
        shown, read_ = squash(loc.text(el)), squash(p.text.removeprefix(p.auto_number))
        # a text box's paragraphs belong to the paragraph that anchors it
        assert shown == read_ or (el.find(f".//{W}txbxContent") is not None and read_ in shown)
        assert loc.where(el) == {"para": p.loc.para}
    cells = 0
    for t in doc.tables:
        for row in t.rows:
            for c in row:
                if c.kind == "o" and c.text:
                    tc = loc.cell(t.loc.table, c.loc.row, c.loc.col)
                    assert squash(loc.text(tc)) == squash(c.text)
                    cells += 1
    assert cells > 50


def test_comments_part_under_another_name(tmp_path, capsys):
    """The comments part is found through document.xml's relationship, as Word does, whatever its name."""
    d = docx.Document(str(DEFECTS))
    p = next(p for p in d.paragraphs if "主动公开政府信息" in p.text)
    d.add_comment(p.runs, text="gklint: ignore GK503 数据待统计", author="张三")
    d.save(str(tmp_path / "a.docx"))
    src = tmp_path / "renamed.docx"
    with zipfile.ZipFile(tmp_path / "a.docx") as zin, zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
                data = data.replace(b"comments.xml", b"comments7.xml")
            z.writestr(info.filename.replace("comments.xml", "comments7.xml"), data)
    found = findings_of(src, capsys)
    assert "GK503" not in {f["code"] for f in found}
    out = annotated(tmp_path, src)
    with zipfile.ZipFile(out) as z:
        assert "word/comments.xml" not in z.namelist()
    comments = comments_of(out)
    assert comments[0][1:] == ("张三", "gklint: ignore GK503 数据待统计")
    assert len([c for c in comments if c[1] == "gklint"]) == len(found)


def test_annotate_takes_the_check_options(tmp_path, capsys):
    out = tmp_path / "gov.docx"
    assert main(["annotate", str(DEFECTS), "-o", str(out), "--agency-kind", "government"]) == 0
    ours = [c[2] for c in comments_of(out) if c[1] == "gklint"]
    found = findings_of(DEFECTS, capsys)
    assert len(ours) == len(found) - 1 and not any(c.startswith("GK402") for c in ours)
    assert main(["annotate", str(DEFECTS), "-o", str(tmp_path / "x.docx"), "--ruleset", "gb1999"]) == 2
    assert "gb1999" in capsys.readouterr().err and not (tmp_path / "x.docx").exists()


def test_section_finding_without_paragraph_goes_on_its_heading(tmp_path, capsys):
    """A missing table is reported for its section: the comment is on that section's heading."""
    d = docx.Document(str(ROOT / "examples" / "report-2022.docx"))
    t2 = d.tables[0]._tbl
    t2.getparent().remove(t2)
    src = tmp_path / "no-t2.docx"
    d.save(str(src))
    gk201 = next(f for f in findings_of(src, capsys) if f["code"] == "GK201")
    assert "para" not in gk201["location"]
    out = annotated(tmp_path, src)
    anchor = next(c[0] for c in comments_of(out) if c[2].startswith("GK201"))
    heading = next(p for p in read(str(src)).paragraphs if p.text.endswith("主动公开政府信息情况"))
    assert anchor == heading.text.removeprefix(heading.auto_number)
    assert gk201["location"]["section"] == "二" and anchor.startswith("二、")
