import codecs

import pytest
from conftest import seed

from gklint.document import ReadError
from gklint.readers import read
from gklint.readers.text import decode, read_text
from gklint.report.bind import bind

SAMPLE = seed("002").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding,prefix,expected", [
    ("utf-8", b"", "utf-8"),
    ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
    ("gb18030", b"", "gb18030"),
    ("gbk", b"", "gb18030"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
    ("utf-16-le", b"", "utf-16-le"),
    ("utf-16-be", b"", "utf-16-be"),
])
def test_encodings_are_detected_from_bytes(tmp_path, encoding, prefix, expected):
    text = SAMPLE.replace("·", "").replace("—", "-")  # GBK lacks a few of these punctuation marks
    path = tmp_path / "r.txt"
    path.write_bytes(prefix + text.encode(encoding))
    doc = read(str(path))
    assert doc.encoding == expected
    report = bind(doc)
    assert report.year == 2024
    assert report.tables["T3"].rows["一"].value("总计").number == 104


def test_crlf_line_endings(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(SAMPLE.replace("\n", "\r\n").encode("utf-8"))
    assert _t3(path).rows["(七)"].value("总计").number == 100


def test_undetectable_encoding_is_a_read_error():
    with pytest.raises(ReadError, match="编码"):
        decode(bytes(range(128, 256)) * 50)


def test_binary_is_not_text():
    with pytest.raises(ReadError, match="NUL|二进制"):
        decode(b"PK\x03\x04\x00\x00\x01binary")


def test_markdown_pipe_table(tmp_path):
    md = """# 某局2023年政府信息公开工作年度报告

## 一、总体情况

本局全年收到申请3件。

## 四、政府信息公开行政复议、行政诉讼情况

| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | | | | | 复议后起诉 | | | | |
| | | | | | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
"""
    path = tmp_path / "r.md"
    path.write_text(md, encoding="utf-8")
    report = bind(read(str(path)))
    assert report.year == 2023
    assert [s.key for s in report.sections] == ["一", "四"]
    row = report.tables["T4"].rows["数量"]
    assert not row.incomplete
    assert row.value("行政复议/总计").number == 1
    assert report.tables["T4"].missing_columns == []


def _t3(path):
    """表三 as bound, whether or not it is complete enough to be checked (a fragment is not)."""
    report = bind(read(str(path)))
    return report.tables.get("T3") or report.unread["T3"][0]


def test_tab_rows_keep_blank_cells_in_place(tmp_path):
    """A blank cell between values stays in its column; it is not closed up."""
    text = "三、收到和处理政府信息公开申请情况\n" \
           "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\n" \
           "\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n" \
           "一、本年新收政府信息公开申请数量\t5\t\t0\t0\t0\t0\t5\n"
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    row = _t3(path).rows["一"]
    assert not row.incomplete
    assert row.value("商业企业").kind == "blank"
    assert row.value("总计").number == 5


def test_short_row_is_incomplete_not_shifted(tmp_path):
    text = "三、收到和处理政府信息公开申请情况\n申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n" \
           "一、本年新收政府信息公开申请数量\t5\t1\t6\n"
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    row = _t3(path).rows["一"]
    assert row.incomplete and row.cells == {}
    assert [c.value.raw for c in row.found] == ["5", "1", "6"]


def test_shapes_are_recognised():
    rows_shape = read_text(str(seed("001")))
    cells_shape = read_text(str(seed("000")))
    loose = read_text(str(seed("004")))
    assert len(rows_shape.tables) == 3 and len(rows_shape.tables[1].rows[3]) > 2
    assert len(cells_shape.tables) == 3 and cells_shape.tables[1].rows[4][0].text.startswith("二、上年结转")
    assert loose.tables == []  # recovered from paragraphs by the binder
    assert bind(loose).tables["T3"].source == "paragraphs"
