"""What real published reports need, each on a small input: flattened web text, run-together digits, heading
variants, pre-2019 reports, non-report files, grouped findings, fee statements in other words."""

import json
import subprocess

import pytest

from gklint.cli import main
from gklint.document import Loc
from gklint.run.engine import check_file
from gklint.readers.text import split_flattened
from gklint.report.flat import flat_cells, split_digits
from gklint.checks.dates import agency_kind

T3_COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T4_COLS = [f"{g}/{c}" for g in ("行政复议", "未经复议直接起诉", "复议后起诉")
           for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]


def findings(tmp_path, text: str, name: str = "r.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return check_file(str(path))


def serious(result) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in result.findings:
        if f.severity in ("error", "warning"):
            out.setdefault(f.code, []).append(f)
    return out


# --- run-together digits: split only where exactly one reading exists ---

@pytest.mark.parametrize("tokens,expected", [
    (["713000074"], ["71", "3", "0", "0", "0", "0", "74"]),  # the only split whose 总计 is the row sum
    (["0000000"], ["0"] * 7),
    (["23", "0", "00", "0", "023"], ["23", "0", "0", "0", "0", "0", "23"]),  # spaces kept, no leading zeros
    (["3000000"], ["3", "0", "0", "0", "0", "0", "0"]),  # one digit a column: forced, even when 总计 is wrong
])
def test_unique_readings(tokens, expected):
    assert split_digits(tokens, T3_COLS) == expected


@pytest.mark.parametrize("tokens,columns", [
    (["270020130"], T3_COLS),  # 27/0/0/2/0/1/30 and 2/7/0/0/20/1/30 both add up
    (["8855698"], ["本年制发件数", "本年废止件数", "现行有效件数"]),  # no 总计 to decide: 88/55/698 or 8/855/698 …
    (["2648-18538"], ["上一年项目数量", "本年增/减", "处理决定数量"]),
    (["12"], T3_COLS),  # too few digits
    (["1" * 200], T3_COLS),  # far too many: not a row of counts (and no search through its splits)
])
def test_no_reading_is_guessed(tokens, columns):
    assert split_digits(tokens, columns) is None


def test_table_four_run_splits_into_its_groups():
    assert split_digits(["110024001510102"], T4_COLS) == list("110024001510102")


def test_flat_cells_keep_label_words_and_give_list_numbers_back():
    text = "（六） 其他 处理 1.申请人逾期不补正00000002.申请人逾期未缴费3.其他（七）总计5000005四、结转下年度继续办理 0 0"
    assert [t for t, _ in flat_cells([(text, Loc())])] == [
        "（六） 其他 处理", "1.申请人逾期不补正", "0000000", "2.申请人逾期未缴费", "3.其他", "（七）总计", "5000005",
        "四、结转下年度继续办理", "0", "0"]


# --- a whole report on one line, as a web archiver saves the page ---

FLAT = ("标题: 某区某某局2022年度政府信息公开工作年度报告\n发布时间: 2023-01-20 10:00\n"
        "本报告根据《条例》编制，所列数据统计期限为2022年1月1日至2022年12月31日。 一、总体情况 2022年，本局全年主动公开政府信息"
        "40条，其中规范性文件2条、其他信息38条。全年收到政府信息公开申请7件。 二、主动公开政府信息情况第二十条第（一）项 信息内容 "
        "本年制发件数 本年废止件数 现行有效件数 规章000行政规范性文件215第二十条第（五）项信息内容本年处理决定数量行政许可120"
        "第二十条第（六）项信息内容本年处理决定数量行政处罚30行政强制0第二十条第（八）项信息内容本年收费金额（单位：万元）"
        "行政事业性收费0 三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） "
        "申请人情况 自然人 法人或其他组织 总计 商业 企业 科研 机构 社会公益组织 法律服务机构 其他 "
        "一、本年新收政府信息公开申请数量 6100007二、上年结转政府信息公开申请数量 0000000三、本年度办理结果 "
        "（一）予以公开 5100006（二）部分公开（区分处理的，只计这一情形，不计其他情形） 0000000（三）不予公开 "
        + "".join(f"{i}.{t}0000000" for i, t in enumerate(["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”",
                                                          "保护第三方合法权益", "属于三类内部事务信息", "属于四类过程性信息",
                                                          "属于行政执法案卷", "属于行政查询事项"], 1))
        + "（四）无法提供 1.本机关不掌握相关政府信息 10000012.没有现成信息需要另行制作 00000003.补正后申请内容仍不明确 0000000"
        "（五）不予处理 " + "".join(f"{i}.{t}0000000" for i, t in enumerate(
            ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请", "要求行政机关确认或重新出具已获取信息"], 1))
        + "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 00000002.申请人逾期未按收费通知要求"
        "缴纳费用、行政机关不再处理其政府信息公开申请 00000003.其他 0000000（七）总计 6100007四、结转下年度继续办理 0000000 "
        "四、政府信息公开行政复议、行政诉讼情况行政复议 行政诉讼 结果维持结果纠正其他结果尚未审结总计 未经复议直接起诉 复议后起诉 "
        "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计 100010000000000 "
        "五、存在的主要问题及改进措施2023年，本局将进一步提高信息发布的及时性。 六、其他需要报告的事项 2022年，本局未发生收费情况。")


def test_split_flattened_puts_each_heading_on_its_own():
    parts = split_flattened(FLAT.split("\n")[2])
    assert "一、总体情况" in parts and "五、存在的主要问题及改进措施" in parts and "六、其他需要报告的事项" in parts
    assert "二、主动公开政府信息情况" in parts  # the heading runs into the table: cut at 情况
    assert split_flattened("一、总体情况 短段落。") == ["一、总体情况 短段落。"]  # a short line is a paragraph


def test_flattened_report_is_read_whole(tmp_path):
    result = findings(tmp_path, FLAT)
    report = result.report
    assert [s.key for s in report.sections] == list("一二三四五六")
    assert report.year == 2022 and report.agency == "某区某某局" and report.publication.date.isoformat() == "2023-01-20"
    t3 = report.tables["T3"]
    assert [c.value.raw for c in t3.rows["一"].cells.values()] == ["6", "1", "0", "0", "0", "0", "7"]
    assert t3.rows["一"].recovered
    assert report.tables["T4"].rows["数量"].value("行政复议/总计").number == 1
    assert serious(result) == {}  # consistent, so nothing at warning level or above
    infos = {f.code for f in result.findings}
    assert "GK105" in infos  # 五 worded "…改进措施": recognised, said once
    assert "GK208" not in infos  # every run has one reading ("215": 3 digits for 3 columns)
    assert report.tables["T2"].rows["行政规范性文件"].value("现行有效件数").number == 5


def test_flattened_report_with_a_wrong_total_is_found(tmp_path):
    # one digit a column: the reading is forced, and the wrong 总计 shows
    result = findings(tmp_path, FLAT.replace("（七）总计 6100007", "（七）总计 6100008"))
    wrong = [f for fs in serious(result).values() for f in fs]
    assert len(wrong) == 1  # the one cell that breaks GK301, GK302 and GK303, named once
    assert (wrong[0].location["row"], wrong[0].location["column"], wrong[0].expected, wrong[0].found) == \
        ("(七)", "总计", "7", "8")
    # "610000008" has no reading with 总计 = the row sum: the row is not split (said once), never guessed
    result = findings(tmp_path, FLAT.replace("（七）总计 6100007", "（七）总计 610000008"))
    assert "GK301" not in serious(result) and "GK303" not in serious(result)
    assert any(f.code == "GK208" and "（七）总计" in f.message for f in result.findings)
    result = findings(tmp_path, FLAT.replace("（七）总计 6100007", "（七）总计 5000005"))
    assert {f.location["column"] for f in serious(result)["GK301"]} == {"自然人", "商业企业", "总计"}


# --- headings as real offices write them ---

def test_heading_variants_and_swaps_do_not_cascade(tmp_path):
    base = FLAT.split("\n")
    body = base[2].replace(" 五、存在的主要问题及改进措施", " 五、其他需要报告的事项XX").replace(
        " 六、其他需要报告的事项", " 六、存在的主要问题及改进情况")
    got = serious(findings(tmp_path, "\n".join(base[:2] + [body])))
    assert "GK101" not in got  # 五 and 六 swapped: both found by their titles …
    assert [f.location["section"] for f in got["GK102"]] == ["六", "五"] or "GK103" in got  # … said, not missing


def test_typo_in_a_heading_is_a_warning_another_wording_is_info(tmp_path):
    typo = findings(tmp_path, FLAT.replace("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政法复议、行政诉讼情况"))
    assert [f.location["section"] for f in serious(typo)["GK102"]] == ["四"]
    joined = findings(tmp_path, FLAT.replace("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议与行政诉讼情况"))
    assert "GK102" not in serious(joined)


# --- pre-2019 reports ---

def test_a_2013_report_is_said_once(tmp_path):
    text = ("某县人民政府2013年政府信息公开工作年度报告\n一、概述\n全年主动公开政府信息120条。\n"
            "二、政府信息依申请公开情况\n全年受理申请5件。\n三、政府信息公开的收费及减免情况\n未收费。\n某县人民政府\n2014年3月20日\n")
    result = findings(tmp_path, text)
    assert [f.code for f in result.findings] == ["GK003"]
    assert result.template == "pre2019"
    late = findings(tmp_path, text.replace("2014年3月20日", "2014年4月20日"))
    assert {f.code for f in late.findings} == {"GK003", "GK402"}
    assert "旧《条例》" in next(f.message for f in late.findings if f.code == "GK402")


# --- fee statements, narrative sums, years ---

@pytest.mark.parametrize("fee", ["2022年，本局未发生收费情况。", "本年度未收取任何费用。", "信息处理费0元。",
                                 "本局没有产生信息公开处理费。", "2022年，本局未发生政府信息公开收费事项。"])
def test_fee_statements_in_other_words(tmp_path, fee):
    result = findings(tmp_path, FLAT.replace("2022年，本局未发生收费情况。", fee))
    assert "GK504" not in serious(result)


def test_no_fee_statement_is_still_found(tmp_path):
    result = findings(tmp_path, FLAT.replace("2022年，本局未发生收费情况。", "本年度无其他需要报告的事项。"))
    assert "GK504" in serious(result)


def test_parts_of_a_total(tmp_path):
    wrong = findings(tmp_path, FLAT.replace("其他信息38条", "其他信息30条"))
    gk506 = serious(wrong)["GK506"]
    assert len(gk506) == 1 and gk506[0].expected == "40" and gk506[0].found == "32"
    partial = findings(tmp_path, FLAT.replace("、其他信息38条", "、政策解读10条"))
    assert "GK506" not in serious(partial)  # a list that does not end with 其他 may leave things out


def test_a_year_carried_over(tmp_path):
    result = findings(tmp_path, FLAT.replace("本报告根据《条例》编制", "本局编制完成2021年度政府信息公开工作年度报告"))
    assert [f.found for f in serious(result)["GK405"]] == ["2021年度"]


@pytest.mark.parametrize("agency,kind", [("平潭综合实验区", "government"), ("某县人民政府", "government"),
                                         ("某市交通运输局", "department"), ("某区住房和城乡建设委员会", "department"),
                                         ("某某经济开发区管委会", "government"), ("某新区管理委员会", "government"),
                                         ("某区某某街道办事处", None), ("某镇人民政府", "government"),
                                         ("某市人民政府办公室", "department"), ("某某", None)])
def test_agency_kind_from_the_name(agency, kind):
    assert agency_kind(agency) == kind


# --- grouped findings ---

def test_blank_columns_are_one_finding(tmp_path):
    from docgen import T3_ROWS_2021, as_text, build_docx

    path = build_docx(tmp_path / "r.docx")
    text = as_text(path)
    lines = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if sum(c.strip().isdigit() for c in cells) == 7 and all(c.strip().isdigit() for c in cells[-7:]):  # 表三
            cells[-6:-1] = [""] * 5  # the five 法人或其他组织 columns left blank
        lines.append("\t".join(cells))
    assert len(T3_ROWS_2021) == 25
    result = findings(tmp_path, "\n".join(lines))
    blank = serious(result)["GK205"]
    assert len(blank) == 1, [f.message for f in blank]
    assert "5 列" in blank[0].message and len(blank[0].location["cells"]) == 125


# --- document repositories ---

def test_non_report_files_are_skipped_and_counted(tmp_path, capsys):
    (tmp_path / "README.md").write_text("# 各部门年度报告\n\n本仓库收集各部门的年度报告。\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("会议记录\n下周一前收齐。\n", encoding="utf-8")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (tmp_path / "report.txt").write_text(FLAT, encoding="utf-8")
    (tmp_path / "empty").mkdir()
    code = main(["check", str(tmp_path), str(tmp_path / "empty"), "--output-format", "json"])
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert code == 3  # the .doc is checked as when named, and cannot be read
    skipped = sorted(f["path"].rsplit("/", 1)[-1] for f in data["files"] if f["skipped"])
    assert skipped == ["README.md", "notes.txt"]
    assert data["summary"]["skipped"] == 2 and data["summary"]["not_checked"] == []
    old = next(f for f in data["files"] if f["path"].endswith("old.doc"))
    assert [x["code"] for x in old["findings"]] == ["GK001"]
    assert "empty 中没有可检查的文件" in captured.err
    main(["check", str(tmp_path)])
    assert "跳过 2 个非年报文件" in capsys.readouterr().err


def test_a_report_title_without_sections_is_gk002(tmp_path):
    result = findings(tmp_path, "某市某某局2022年政府信息公开工作年度报告\n正文见附件。\n")
    assert [f.code for f in result.findings if f.severity == "error"] == ["GK002"]


def test_gitignore_is_respected(tmp_path, capsys):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, timeout=60)
    (tmp_path / ".gitignore").write_text("drafts/\n", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "r.txt").write_text(FLAT.replace("其他信息38条", "其他信息30条"), encoding="utf-8")
    (tmp_path / "r.txt").write_text(FLAT, encoding="utf-8")
    main(["check", str(tmp_path), "--output-format", "json"])
    paths = [f["path"] for f in json.loads(capsys.readouterr().out)["files"]]
    assert paths == [str(tmp_path / "r.txt")]


# --- web pages and PDFs ---

def test_web_page_title_and_date_from_its_meta_tags(tmp_path):
    body = FLAT.split("\n", 2)[2]
    page = ("<html><head><title>某区某某局2022年度政府信息公开工作年度报告_某区人民政府网</title>"
            '<meta name="PubDate" content="2023-01-20 10:00"></head><body><div class="nav">首页 政务公开</div>'
            f"<div id='zoom'><p>{body}</p></div></body></html>")
    result = findings(tmp_path, page, "r.html")
    assert result.report.title == "某区某某局2022年度政府信息公开工作年度报告"
    assert result.report.agency == "某区某某局" and result.report.publication.date.isoformat() == "2023-01-20"


def test_pdf_locations_carry_the_page():
    from conftest import DATA

    result = check_file(str(DATA / "pdf" / "hzq2023_working.pdf"))
    gk304 = [f for f in result.findings if f.code == "GK304"]
    assert gk304 and all(f.location["page"] >= 1 for f in gk304)
    from gklint.findings import describe

    assert describe(gk304[0].location).startswith(f"第{gk304[0].location['page']}页")


def test_a_signature_before_the_year_end_under_a_page_date(tmp_path):
    """The page says 发布时间 2023-01-20, the 落款 at the end of the flattened body says 2022年1月3日."""
    result = findings(tmp_path, FLAT + " 某区某某局 2022年1月3日")
    assert [f.found.endswith("某区某某局 2022年1月3日") for f in serious(result)["GK401"]] == [True]
    assert result.report.publication.date.isoformat() == "2023-01-20"  # the deadline still uses the page date
    assert "GK104" not in serious(result)  # the content before the 落款 stays in 六


def test_received_counted_in_tiao(tmp_path):
    result = findings(tmp_path, FLAT.replace("全年收到政府信息公开申请7件", "全年收到政府信息公开申请0条"))
    assert [(f.expected, f.found) for f in serious(result)["GK501"]] == [("7", "0")]


def test_annotated_copies_are_not_checked_again_in_a_folder(tmp_path, capsys):
    import shutil

    from conftest import ROOT

    shutil.copy(ROOT / "examples" / "report-2022-defects.docx", tmp_path / "r.docx")
    shutil.copy(ROOT / "examples" / "report-2022-defects.docx", tmp_path / "r.gklint.docx")
    main(["check", str(tmp_path), "--output-format", "json", "--no-cache"])
    assert [f["path"] for f in json.loads(capsys.readouterr().out)["files"]] == [str(tmp_path / "r.docx")]
    main(["check", str(tmp_path / "r.gklint.docx"), "--output-format", "json", "--no-cache"])
    assert len(json.loads(capsys.readouterr().out)["files"]) == 1  # named explicitly: checked


@pytest.mark.parametrize("year,values", [(2021, ["5", "0", "5"]), (2022, ["5", "0", "5"]), (2023, ["6", "0", "6"])])
def test_a_flattened_table_starts_at_its_signature_not_at_the_prose_before_it(year, values):
    """经济发展局 writes "涵盖政策及规范性文件类8条" in part 二 before 表二's "第二十条…规范性文件 5 0 5": the
    sentence is not the 行政规范性文件 row (it was, and the real row was left unread)."""
    from pathlib import Path

    path = Path(__file__).parent.parent / "data" / "real" / f"pingtan_jjf_{year}.txt"
    row = check_file(str(path)).report.tables["T2"].rows["行政规范性文件"]
    assert [row.value(c).raw for c in ("本年制发件数", "本年废止件数", "现行有效件数")] == values
