"""Checks across years (GK600–GK604): one agency's reports for consecutive years, built from the official Word
template, paired in one run or with --previous; real series from the corpus; suppression and the cache."""

import copy
import json
import shutil

import pytest
from conftest import DATA, ROOT
from docgen import T3_ROWS_2021, build_docx, consistent_data, narrative

from gklint.cli import main

RESULTS = [r for r in T3_ROWS_2021 if r not in ("一", "二", "(七)", "四")]
REAL = DATA / "real"


def following(data: dict) -> dict:
    """The same agency's next year: carried in = last year's carried out, stock rolled on, other results."""
    d = copy.deepcopy(data)
    t3 = d["t3"]
    carried_in = data["t3"]["四"][:6]
    for r in RESULTS:
        t3[r] = [0] * 7
    t3["(一)"] = [15, 2, 0, 0, 1, 0]
    t3["(四)1"] = [4, 1, 0, 0, 0, 0]
    total = [sum(t3[r][i] for r in RESULTS) for i in range(6)]
    out = [1, 0, 0, 0, 0, 0]
    new = [total[i] + out[i] - carried_in[i] for i in range(6)]
    assert min(new) >= 0
    for key, values in (("一", new), ("二", carried_in), ("(七)", total), ("四", out)):
        t3[key] = values + [sum(values)]
    for r in RESULTS:
        t3[r] = t3[r][:6] + [sum(t3[r][:6])]
    for row, (made, repealed) in (("规章", (1, 0)), ("行政规范性文件", (3, 1))):
        d["t2"][row] = [made, repealed, data["t2"][row][2] + made - repealed]
    d["t4"] = [2, 0, 0, 1, 3, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    return d


def _check(tmp_path, *paths, extra=()):
    out = tmp_path / "out.json"
    status = main(["check", "--no-cache", "--output-format", "json", "-o", str(out), *map(str, paths), *extra])
    files = json.loads(out.read_text(encoding="utf-8"))["files"]
    return status, {f["path"].rsplit("/", 1)[-1]: f["findings"] for f in files}


def _across(findings) -> list:
    return [f for f in findings if f["code"].startswith("GK60")]


@pytest.fixture
def series(tmp_path):
    """Two consistent reports: 2022 and 2023 of 某市某某局, in one folder."""
    folder = tmp_path / "reports"
    folder.mkdir()
    first = consistent_data()
    return folder, first, following(first)


def _build(folder, year, data, agency="某市某某局", text=None):
    return build_docx(folder / f"{agency}{year}.docx", year=year, agency=agency, data=data, text=text)


def test_consistent_reports_of_consecutive_years_give_nothing_across_years(tmp_path, series):
    folder, first, second = series
    _build(folder, 2022, first), _build(folder, 2023, second)
    status, found = _check(tmp_path, folder)
    assert status == 0 and {name: f for name, f in found.items() if f} == {}


def test_broken_carry_over_is_one_warning_naming_both_reports_and_cells(tmp_path, series):
    folder, first, second = series
    second["t3"]["二"][0] += 1  # 上年结转 自然人 4, last year's 结转下年度 3 ...
    second["t3"]["二"][6] += 1
    second["t3"]["一"][0] -= 1  # ... and this year's own identity still holds
    second["t3"]["一"][6] -= 1
    _build(folder, 2022, first), _build(folder, 2023, second)
    status, found = _check(tmp_path, folder)
    assert found["某市某某局2022.docx"] == []
    (f,) = found["某市某某局2023.docx"]
    assert (f["code"], f["severity"], status) == ("GK601", "warning", 1)
    assert "2022年报告 结转下年度继续办理 自然人 3；2023年报告 上年结转政府信息公开申请数量 自然人 4" in f["message"]
    assert "某市某某局2022.docx" in f["message"] and "机构改革" in f["message"]
    assert "总计" in f["message"]  # the total column differs too: named in the same finding, not a second one
    assert (f["expected"], f["found"], f["location"]["row"], f["location"]["column"]) == ("3", "4", "二", "自然人")
    assert f["location"]["previous"]["path"].endswith("某市某某局2022.docx")
    assert f["location"]["previous"]["row"] == "四"


def test_broken_stock_is_one_info(tmp_path, series):
    folder, first, second = series
    second["t2"]["规章"][2] += 1  # 现行有效 17, but 15 + 1 − 0 = 16
    _build(folder, 2022, first), _build(folder, 2023, second)
    status, found = _check(tmp_path, folder)
    (f,) = found["某市某某局2023.docx"]
    assert (f["code"], f["severity"], status) == ("GK602", "info", 0)
    assert (f["expected"], f["found"]) == ("16", "17") and "规章" in f["message"]
    assert "2022年报告 规章 现行有效件数 15" in f["message"]


def test_a_sentence_carried_over_with_last_years_facts(tmp_path, series):
    folder, first, second = series
    copied = "2022年共组织政务公开业务培训3次，参训120人次。"
    text1, text2 = narrative(first, 2022), narrative(second, 2023)
    text1["五"] = [text1["五"][0] + copied]
    text2["五"] = [text2["五"][0] + copied]
    text2["六"] = ["本年度未收取信息处理费。", "我们的工作仍有不足。"]  # same in both years, no year or number: fine
    text1["六"] = text1["六"] + ["我们的工作仍有不足。"]
    _build(folder, 2022, first, text=text1), _build(folder, 2023, second, text=text2)
    status, found = _check(tmp_path, folder)
    (f,) = found["某市某某局2023.docx"]
    assert f["code"] == "GK603" and f["severity"] == "warning" and f["location"]["section"] == "五"
    start, end = f["span"]
    assert f["snippet"][start:end] == "2022年" and "培训3次" in f["snippet"]


def test_identical_tables_are_one_finding_not_a_cascade(tmp_path, series):
    folder, first, _ = series
    text = narrative(first, 2023)
    text["一"] = ["2023年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息401条。"]
    _build(folder, 2022, first), _build(folder, 2023, copy.deepcopy(first), text=text)
    status, found = _check(tmp_path, folder)
    codes = [f["code"] for f in found["某市某某局2023.docx"]]
    assert codes == ["GK604"]  # not also GK601 (结转 2 ≠ 3) and GK602 (现行有效 15 ≠ 16): they follow from it
    assert "表二、表三、表四" in found["某市某某局2023.docx"][0]["message"]


def test_previous_pairs_explicitly_and_says_when_it_cannot(tmp_path, series):
    folder, first, second = series
    second["t3"]["二"][0] += 1
    second["t3"]["二"][6] += 1
    second["t3"]["一"][0] -= 1
    second["t3"]["一"][6] -= 1
    before = _build(folder, 2022, first)
    report = _build(tmp_path, 2023, second)
    status, found = _check(tmp_path, report, extra=["--previous", str(before)])
    assert [f["code"] for f in found["某市某某局2023.docx"]] == ["GK601"] and list(found) == ["某市某某局2023.docx"]

    older = _build(tmp_path, 2021, first)
    (f,) = _check(tmp_path, report, extra=["--previous", str(older)])[1]["某市某某局2023.docx"]
    assert f["code"] == "GK600" and "2021年度" in f["message"] and "应为2022年度" in f["message"]
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really")
    (f,) = _check(tmp_path, report, extra=["--previous", str(broken)])[1]["某市某某局2023.docx"]
    assert f["code"] == "GK600" and "broken.docx" in f["message"] and "无法读取" in f["message"]
    assert main(["check", "--no-cache", str(report), "--previous", str(tmp_path / "nope.docx")]) == 2


def test_renamed_agency_is_paired_through_the_config(tmp_path, series):
    folder, first, second = series
    second["t2"]["规章"][2] += 1
    _build(folder, 2022, first, agency="某市经济发展局"), _build(folder, 2023, second, agency="某市经济发展和科技局")
    assert _check(tmp_path, folder)[1]["某市经济发展和科技局2023.docx"] == []
    (tmp_path / "gklint.toml").write_text('renamed-agencies = { "某市经济发展局" = "某市经济发展和科技局" }\n',
                                          encoding="utf-8")
    found = _check(tmp_path, folder, extra=["--config", str(tmp_path / "gklint.toml")])[1]
    assert [f["code"] for f in found["某市经济发展和科技局2023.docx"]] == ["GK602"]
    (tmp_path / "bad.toml").write_text('renamed-agencies = ["某市经济发展局"]\n', encoding="utf-8")
    assert main(["check", str(folder), "--config", str(tmp_path / "bad.toml")]) == 2


CASES = ROOT / "rules" / "cases"


def _text_pair(tmp_path, directive=""):
    """The rule-case reports of 2021 and 2022 as text, the 2022 one with a carry-over that does not match."""
    folder = tmp_path / "texts"
    folder.mkdir(exist_ok=True)
    shutil.copy(CASES / "gb2021-2021.txt", folder / "2021.txt")
    text = (CASES / "gb2021-2022.txt").read_text(encoding="utf-8")
    row = "二、上年结转政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2"
    new_row = "一、本年新收政府信息公开申请数量\t35\t4\t0\t0\t2\t0\t41"
    text = text.replace(row, "二、上年结转政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3").replace(
        new_row, "一、本年新收政府信息公开申请数量\t34\t4\t0\t0\t2\t0\t40").replace("申请41件，上年结转2件", "申请40件，上年结转3件")
    head = "三、收到和处理政府信息公开申请情况\n"
    (folder / "2022.txt").write_text(text.replace(head, head + directive, 1), encoding="utf-8")
    return folder


def test_a_text_pair_and_a_suppression_comment_for_a_check_across_years(tmp_path):
    folder = _text_pair(tmp_path)
    found = _check(tmp_path, folder)[1]
    assert [f["code"] for f in found["2022.txt"]] == ["GK601"]
    folder = _text_pair(tmp_path, "gklint: ignore GK601 2022年与某局合并，结转数含其转入的申请\n")
    status, found = _check(tmp_path, folder, extra=["--show-suppressed"])
    assert found["2022.txt"] == [] and status == 0
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    (suppressed,) = [f for f in out["files"] if f["path"].endswith("2022.txt")][0]["suppressed"]
    assert suppressed["code"] == "GK601" and "合并" in suppressed["reason"]
    # alone, the same report has no pair: the comment is neither used nor called unused (GK006)
    assert _check(tmp_path, folder / "2022.txt")[1]["2022.txt"] == []


def test_findings_across_years_survive_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GKLINT_CACHE_DIR", str(tmp_path / "cache"))
    folder = _text_pair(tmp_path)
    runs = []
    for _ in range(2):
        out = tmp_path / "cached.json"
        main(["check", str(folder), "--output-format", "json", "-o", str(out)])
        runs.append(json.loads(out.read_text(encoding="utf-8"))["files"])
    assert runs[0] == runs[1] and any(f["code"] == "GK601" for r in runs[1] for f in r["findings"])


# --- real series (tests/data/real: the archive of 平潭综合实验区's departments) --------------------------

SERIES = ["pingtan_2019_page.txt", "pingtan_2020_page.txt", "pingtan_2021_page.txt", "pingtan_2022_page.txt",
          "pingtan_2023_page.txt", "pingtan_2024_page.txt", "pingtan_2025_page.txt", "pingtan_jjf_2020.txt",
          "pingtan_jjf_2021.txt", "pingtan_jjf_2022.txt", "pingtan_jjf_2023.txt", "pingtan_jjf_2024.txt",
          "pingtan_gaj_2021.txt", "pingtan_gaj_2022.txt", "pingtan_czj_2024.txt", "pingtan_czj_2025.txt"]


def test_real_series_carry_over_holds_and_the_one_stock_difference_is_an_info(tmp_path):
    folder = tmp_path / "series"
    folder.mkdir()
    for name in SERIES:
        shutil.copy(REAL / name, folder / name)
    _, found = _check(tmp_path, folder)
    across = {name: [f["code"] for f in _across(fs)] for name, fs in found.items() if _across(fs)}
    assert not [c for codes in across.values() for c in codes if c in ("GK601", "GK603", "GK604")]
    # 公安局: 2021 行政规范性文件 现行有效 2; 2022 制发 4, 废止 1, 现行有效 7 (2 + 4 − 1 = 5): checked by hand
    (stock,) = [f for f in found["pingtan_gaj_2022.txt"] if f["code"] == "GK602"]
    assert (stock["expected"], stock["found"], stock["location"]["row"]) == ("5", "7", "行政规范性文件")
    # what could not be compared is said once per pair: here the 表二 digits run together in both years
    assert all(codes.count("GK600") <= 1 for codes in across.values())
    (gap,) = [f for f in found["pingtan_2025_page.txt"] if f["code"] == "GK600"]
    assert "2024年报告表二「行政规范性文件」行数字连在一起（“6233440”）" in gap["message"]
    # 2020 (2019 format) → 2021: 表二 has no 现行有效件数 in 2020, which is not a gap to report; the 2018
    # report predates the national format and is not paired with 2019's
    assert "pingtan_jjf_2021.txt" not in across and "pingtan_2019_page.txt" not in across


def test_a_carry_over_planted_in_a_real_series(tmp_path):
    folder = tmp_path / "series"
    folder.mkdir()
    shutil.copy(REAL / "pingtan_gaj_2022.txt", folder / "pingtan_gaj_2022.txt")
    text = (REAL / "pingtan_gaj_2021.txt").read_text(encoding="utf-8")
    assert "四、结转下年度继续办理1000001" in text  # 2021: one 自然人 application carried into 2022
    (folder / "pingtan_gaj_2021.txt").write_text(text.replace("四、结转下年度继续办理1000001", "四、结转下年度继续办理0100001"),
                                                 encoding="utf-8")
    _, found = _check(tmp_path, folder)
    (f,) = [f for f in found["pingtan_gaj_2022.txt"] if f["code"] == "GK601"]
    assert "2021年报告 结转下年度继续办理 自然人 0；2022年报告 上年结转政府信息公开申请数量 自然人 1" in f["message"]
    assert "商业企业" in f["message"] and f["location"]["column"] == "自然人"


def test_sarif_points_to_the_other_report(tmp_path, capsys):
    folder = _text_pair(tmp_path)
    main(["check", "--no-cache", "--output-format", "sarif", str(folder)])
    (result,) = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    (related,) = result["relatedLocations"]
    assert result["ruleId"] == "GK601" and related["physicalLocation"]["artifactLocation"]["uri"].endswith("2021.txt")
    assert related["physicalLocation"]["region"]["startLine"] > 0 and "结转下年度" in related["message"]["text"]


def test_the_documented_rule_of_a_province_is_valid_and_P_is_refused_outside_across(tmp_path, capsys):
    import re

    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    rule = re.search(r"```toml\n(\[rules\.ZJ601\].*?)```", doc, re.S).group(1)
    good = tmp_path / "zj.toml"
    good.write_text('[ruleset]\nname = "zj"\nextends = "gb2019"\n\n' + rule, encoding="utf-8")
    assert main(["ruleset", "check", str(good)]) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text(encoding="utf-8").replace('kind = "across"', 'kind = "identity"'), encoding="utf-8")
    capsys.readouterr()
    assert main(["ruleset", "check", str(bad)]) == 1
    assert "rules.ZJ601.expr" in capsys.readouterr().out
    only_now = tmp_path / "now.toml"
    only_now.write_text(good.read_text(encoding="utf-8").replace('P("$", "上一年项目数量")', 'T("$", "上一年项目数量")')
                        .replace('P("$", "本年增/减")', 'T("$", "本年增/减")'), encoding="utf-8")
    assert main(["ruleset", "check", str(only_now)]) == 1


@pytest.mark.parametrize("a,b,same", [
    ("淮安市洪泽区人民政府", "洪泽区人民政府", True), ("江苏省淮安市洪泽区人民政府", "洪泽区人民政府", True),
    ("福建省平潭综合实验区公安局", "平潭综合实验区公安局", True), ("北京市东城区卫生健康委员会", "东城区卫生健康委员会", True),
    ("上海市人民政府办公厅", "人民政府办公厅", False), ("淮安市人民政府", "人民政府", False),
    ("某市市场监督管理局", "市场监督管理局", False), ("平潭综合实验区公安局", "公安局", False),
    ("某县发展和改革局", "县发展和改革局", False), ("某市某某局", "某市某某局", False)])
def test_a_province_or_city_written_one_year_and_not_the_next(a, b, same):
    from gklint.run.pairing import same_agency

    assert same_agency(a, b) == same_agency(b, a) == same


def test_real_pdfs_of_one_district_pair_across_a_city_prefix():
    """洪泽区 titles its 2023 report 洪泽区人民政府, its 2024 report 淮安市洪泽区人民政府: one agency; both
    carry nothing over (0 in every column), which the check confirms without a finding."""
    from gklint.policy.config import Settings
    from gklint.run.engine import check_file
    from gklint.run.pairing import check_across, pairs

    results = [check_file(str(DATA / "pdf" / f"hzq{y}_working.pdf")) for y in (2023, 2024)]
    assert [r.agency for r in results] == ["洪泽区人民政府", "淮安市洪泽区人民政府"]
    assert pairs(results, {}) == [(1, 0)]
    before = list(results[1].findings)
    check_across(results, [Settings()] * 2)
    assert results[1].findings == before


@pytest.mark.parametrize("sentence,stale", [
    ("2023年共组织政务公开培训3次。", "2023年"), ("截至2023年底，现行有效文件12件。", "2023年"),
    ("本局2023年度未收取信息处理费。", "2023年"), ("网站全年发布信息694条。", "694条"),
    ("我局自2023年起建立了重大决策预公开制度。", None), ("2023年以来，我局持续推进基层政务公开。", None),
    ("依据《2023年全区政务公开工作要点》开展工作。", None), ("本年度共收到申请0件。", None),
    ("依据《条例》第20条主动公开。", None), ("信息发布的及时性有待提高。", None)])
def test_what_makes_a_repeated_sentence_last_years(sentence, stale):
    """A sentence repeated word for word counts (GK603) only with last year's year or a count in it."""
    from gklint.checks.across import _stale

    m = _stale(sentence, 2023)
    assert (m.group() if m else None) == stale


def test_an_abbreviated_title_pairs_through_the_name_in_its_signature(tmp_path):
    """2021's title says 某市科委, its 落款 某市科学技术委员会 (an alias of the report); 2022's title has the full name."""
    folder = tmp_path / "texts"
    folder.mkdir()
    before = (CASES / "gb2021-2021.txt").read_text(encoding="utf-8")
    before = before.replace("某市某某局2021年", "某市科委2021年").replace("\n某市某某局\n", "\n某市科学技术委员会\n")
    before = before.replace("四、结转下年度继续办理\t2\t0\t0\t0\t0\t0\t2", "四、结转下年度继续办理\t3\t0\t0\t0\t0\t0\t3")
    (folder / "2021.txt").write_text(before, encoding="utf-8")
    (folder / "2022.txt").write_text((CASES / "gb2021-2022.txt").read_text(encoding="utf-8")
                                     .replace("某市某某局", "某市科学技术委员会"), encoding="utf-8")
    found = _check(tmp_path, folder)[1]
    assert "GK601" in [f["code"] for f in found["2022.txt"]]


def test_a_repeated_sentence_whose_count_is_this_years_true_count_is_not_carried(tmp_path, series):
    """One review case in both years, said in the same words: true both years (GK603 only when the count disagrees
    with this year's tables or the year is last year's)."""
    folder, first, second = series
    first["t4"] = [1, 0, 0, 0, 1] + [0] * 10
    second["t4"] = list(first["t4"])
    same = "因政府信息公开工作被申请行政复议1件，被提起行政诉讼0件。"
    text1, text2 = narrative(first, 2022), narrative(second, 2023)
    assert same in text1["一"][1] and same in text2["一"][1]
    _build(folder, 2022, first, text=text1), _build(folder, 2023, second, text=text2)
    status, found = _check(tmp_path, folder)
    assert (status, found["某市某某局2023.docx"]) == (0, [])

    # the same sentence in part 五 (which GK501 does not read) while this year's 表四 says 2: carried over
    second["t4"] = [2, 0, 0, 0, 2] + [0] * 10
    text1["五"] = [text1["五"][0] + same]
    text2 = narrative(second, 2023)
    text2["五"] = [text2["五"][0] + same]
    _build(folder, 2022, first, text=text1), _build(folder, 2023, second, text=text2)
    found = _check(tmp_path, folder)[1]
    (f,) = [f for f in found["某市某某局2023.docx"] if f["code"] == "GK603"]
    start, end = f["span"]
    assert f["location"]["section"] == "五" and f["snippet"][start:end] == "1件"


def test_previous_of_another_agency_is_one_gk600_naming_both(tmp_path, series):
    """--previous names another agency's report: not compared as if it were this agency's (no GK601/GK602)."""
    folder, first, second = series
    second["t3"]["二"][0] += 1  # a carry-over that does not match: GK601 if the two were compared
    second["t3"]["二"][6] += 1
    second["t3"]["一"][0] -= 1
    second["t3"]["一"][6] -= 1
    other = _build(folder, 2022, first, agency="某市某某管理局")
    report = _build(tmp_path, 2023, second)
    status, found = _check(tmp_path, report, extra=["--previous", str(other)])
    (f,) = found["某市某某局2023.docx"]
    assert f["code"] == "GK600" and "另一机关（某市某某管理局）" in f["message"] and "某市某某局的报告" in f["message"]
    assert "renamed-agencies" in f["message"] and status == 0
    # the renaming said in the configuration: the same agency, compared
    (tmp_path / "gklint.toml").write_text('renamed-agencies = { "某市某某管理局" = "某市某某局" }\n', encoding="utf-8")
    found = _check(tmp_path, report, extra=["--previous", str(other), "--config", str(tmp_path / "gklint.toml")])[1]
    assert [f["code"] for f in found["某市某某局2023.docx"]] == ["GK601"]
    # a name with the city in front is the same agency (as in the pairing of a folder)
    same = _build(folder, 2022, first, agency="江苏省某市某某局")
    assert [f["code"] for f in _check(tmp_path, report, extra=["--previous", str(same)])[1]["某市某某局2023.docx"]] \
        == ["GK601"]


def test_previous_naming_the_checked_file_itself_is_a_usage_error(tmp_path, series, capsys):
    folder, first, _ = series
    report = _build(folder, 2022, first)
    assert main(["check", "--no-cache", str(report), "--previous", str(report)]) == 2
    err = capsys.readouterr().err
    assert "就是要检查的报告本身" in err and "某市某某局2022.docx" in err
    # in a folder of several reports it is one of them: the others are compared with it
    _build(folder, 2023, following(first))
    status, found = _check(tmp_path, folder, extra=["--previous", str(report)])
    assert status == 0 and found["某市某某局2023.docx"] == []
