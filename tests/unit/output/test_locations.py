"""Locations a clerk can act on: 表二/表三/表四 as the national format names them, '第N张表格' otherwise,
the same words in every output."""

from __future__ import annotations

import json

from conftest import ROOT

from gklint.cli import main
from gklint.document import Loc
from gklint.findings import describe, location, table_name

DEFECTS = ROOT / "examples" / "report-2022-defects.docx"


def test_loc_names_the_table_or_counts_it():
    assert str(Loc(para=25, table=3, row=4, col=5)) == "第3张表格第4行第5列"
    assert str(Loc(para=25, table=3, row=4, col=5, table_name="表四")) == "表四第4行第5列"
    assert str(Loc(para=25, table=2, table_name="表三")) == "表三"
    assert str(Loc(para=7)) == "第7段" and str(Loc(line=9)) == "第9行"


def test_describe_uses_the_bound_table_key():
    assert [table_name(k) for k in ("T2", "T3", "T4", "X", None)] == ["表二", "表三", "表四", None, None]
    loc = location(Loc(para=25, table=2, row=27, col=4), table="T3", table_title="收到和处理政府信息公开申请情况",
                   row="(七)", row_label="（七）总计", column="自然人")
    assert loc["table_name"] == "表三" and loc["table_index"] == 2
    assert describe(loc) == "表三（收到和处理政府信息公开申请情况） （七）总计 「自然人」列 第27行第4列"
    assert describe(location(Loc(para=40, table=5, row=2, col=1))) == "第5张表格 第2行第1列"
    # the part after a page break keeps its own row numbers and says so
    cont = location(Loc(para=30, table=3, row=5, col=4, table_name="表三（续）"), table="T3")
    assert describe(cont) == "表三（续） 第5行第4列"


def test_every_output_names_the_table(capsys):
    main(["check", "--no-cache", str(DEFECTS), "--output-format", "json"])
    data = json.loads(capsys.readouterr().out)
    gk304 = next(f for f in data["files"][0]["findings"] if f["code"] == "GK304")
    assert gk304["location"]["table_name"] == "表四" and gk304["message"].startswith("表四「行政复议」")
    for fmt in ("concise", "github", "junit", "full"):
        main(["check", "--no-cache", str(DEFECTS), "--output-format", fmt, "--select", "GK304"])
        out = capsys.readouterr().out
        assert "表四（政府信息公开行政复议、行政诉讼情况） 「行政复议/总计」列 第4行第5列" in out, fmt
        assert "表3" not in out, fmt
    main(["extract", str(DEFECTS)])
    md = capsys.readouterr().out
    assert "## 表三（T3）：收到和处理政府信息公开申请情况" in md and "| 表二第3行第2列 |" in md
    main(["extract", "--format", "json", str(DEFECTS)])
    t4 = json.loads(capsys.readouterr().out)["tables"]["T4"]
    assert t4["name"] == "表四" and t4["rows"][0]["cells"][0]["location"]["table_name"] == "表四"
