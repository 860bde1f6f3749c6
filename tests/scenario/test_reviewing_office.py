"""The reviewing office's outputs: the HTML report and the CSV of one run over a folder of real reports agree
with the JSON of the same run, file by file and finding by finding; the HTML page works in a real browser."""

import csv
import io
import json
import shutil
import tempfile
from html.parser import HTMLParser

import pytest
from conftest import DATA, ROOT, SEEDS, seed

from gklint.cli import main
from gklint.findings import describe

REAL = ["pingtan_2019_page.txt", "pingtan_2023_page.txt", "pingtan_czj_2024.txt", "pingtan_gaj_2022.html",
        "pingtan_jjf_2020.txt", "pingtan_jjf_2021.txt", "pingtan_jtj_2023.txt", "pingtan_spp_2021.txt",
        "pingtan_xzspj_2020.txt", "shanghai_bgt_2019.html", "shuyang_fgj_2023.html", "shuyang_county_gov_2025.txt"]
# a sentence that ends up in a finding's snippet (the placeholder XX), carrying markup, escapes and a bidi override
EVIL = "[bold red]本委[/bold red]\u202e\x1b[2JXX<script>pwned=1</script>条。"  # pwned=1 sets window.pwned
HOSTILE_NAME = "<img src=x onerror=window.pwned=2>.txt"


def _folder(root):
    for p in (ROOT / "examples").glob("*.docx"):
        shutil.copy(p, root / p.name)
    for p in SEEDS:
        shutil.copy(p, root / p.name)
    for name in ("hzq2023_working.pdf", "szfgs2024.pdf"):
        shutil.copy(DATA / "pdf" / name, root / name)
    for name in REAL:
        shutil.copy(DATA / "real" / name, root / name)
    _planted_across_years(root)
    (root / "broken.docx").write_bytes(b"PK\x03\x04 truncated in transit")
    (root / "旧格式.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old Word file")  # read through LibreOffice
    (root / "README.md").write_text("# 说明\n\n这个文件夹收了各部门报送的年度报告。\n", encoding="utf-8")
    text = seed("000").read_text(encoding="utf-8")
    (root / HOSTILE_NAME).write_text(text.replace("一、总体情况\n", "一、总体情况\n" + EVIL + "\n", 1),
                                     encoding="utf-8")
    return root


CARRIED = "2024年我局共收到政府网站上政府信息公开申请件2件，办结依申请2件，其中公开答复1件，无法提供1件 。"


def _planted_across_years(root):
    """Copies of real series with defects across years: 公安局 2021 carrying out one application of a 商业企业
    (2022 carries in one of a 自然人: GK601), 财政金融局 2025 repeating a 2024 sentence in part 五 (GK603)."""
    text = (DATA / "real" / "pingtan_gaj_2021.txt").read_text(encoding="utf-8")
    (root / "gaj_2021_planted.txt").write_text(text.replace("四、结转下年度继续办理1000001", "四、结转下年度继续办理0100001"),
                                               encoding="utf-8")
    text = (DATA / "real" / "pingtan_czj_2025.txt").read_text(encoding="utf-8")
    assert CARRIED in (DATA / "real" / "pingtan_czj_2024.txt").read_text(encoding="utf-8")
    (root / "czj_2025_planted.txt").write_text(text.replace("(一)存在问题。", "(一)存在问题。" + CARRIED, 1),
                                               encoding="utf-8")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One folder, three outputs; the first run fills the cache, the HTML and CSV runs are answered from it."""
    folder = _folder(tmp_path_factory.mktemp("reports"))
    out = tmp_path_factory.mktemp("out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GKLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        codes = [main(["check", str(folder), "--output-format", fmt, "-o", str(out / f"run.{fmt}"), "--quiet"])
                 for fmt in ("json", "html", "csv")]
    assert codes == [3, 3, 3]  # an unreadable file: exit 3
    data = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return {"folder": folder, "json": data, "html_path": out / "run.html",
            "html": (out / "run.html").read_text(encoding="utf-8"), "csv_bytes": (out / "run.csv").read_bytes()}


class Dom(HTMLParser):
    """A tiny DOM: every element with its attributes, text and parent, enough to query the report."""
    VOID = {"meta", "br", "img", "input", "link", "hr"}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.nodes, self.open = [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        node = {"tag": tag, "attrs": dict(attrs), "text": "", "parent": self.open[-1] if self.open else None}
        self.nodes.append(node)
        if tag not in self.VOID:
            self.open.append(node)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for node in self.open:
            node["text"] += data

    def find(self, tag=None, cls=None, within=None):
        def inside(n):
            while n is not None:
                if n is within:
                    return True
                n = n["parent"]
            return False
        return [n for n in self.nodes if (tag is None or n["tag"] == tag)
                and (cls is None or cls in n["attrs"].get("class", "").split())
                and (within is None or (n is not within and inside(n)))]


def test_every_file_and_finding_of_the_json_is_in_the_html(run):
    files = run["json"]["files"]
    checked = [f for f in files if not f["skipped"]]
    assert len(checked) >= 20 and sum(len(f["findings"]) for f in checked) >= 20
    dom = Dom(run["html"])
    rows = dom.find("tr", within=dom.find("table")[0])[1:]  # the summary table, its header row left out
    assert len(rows) == len(checked)

    def cell(row, cls):
        return next(n["text"] for n in dom.find("td", cls, within=row))

    by_path = {cell(r, "path"): r for r in rows}
    for f in checked:
        row = by_path[f["path"]]
        assert cell(row, "agency") == f["agency"]
        assert cell(row, "year") == str(f["report_year"] or "")
        assert [int(cell(row, s)) for s in ("error", "warning", "info")] == \
            [f["counts"][s] for s in ("error", "warning", "info")]
        assert f["counts"] == {s: sum(1 for x in f["findings"] if x["severity"] == s)
                               for s in ("error", "warning", "info")}
    sections = {n["attrs"]["data-path"]: n for n in dom.find("section", "file")}
    unreadable = {dom.find(cls="path", within=li)[0]["text"]: dom.find(cls="reason", within=li)[0]["text"]
                  for li in dom.find("li", within=dom.find("ul", "unreadable")[0])}
    for f in checked:
        if f["findings"] and f["findings"][0]["code"] == "GK001":
            assert unreadable[f["path"]] == f["findings"][0]["message"]
            continue
        assert (f["path"] in sections) == bool(f["findings"])
        if not f["findings"]:
            continue
        shown = dom.find("div", "finding", within=sections[f["path"]])
        assert len(shown) == len(f["findings"])
        for node, x in zip(shown, f["findings"]):
            assert (node["attrs"]["data-code"], node["attrs"]["data-severity"]) == (x["code"], x["severity"])
            assert dom.find(cls="message", within=node)[0]["text"] == x["message"]
            where = describe(x["location"])
            assert [n["text"] for n in dom.find(cls="location", within=node)] == ([where] if where else [])
            if x.get("expected") is not None:
                assert dom.find(cls="expected", within=node)[0]["text"] == x["expected"]
            if x.get("snippet"):
                s, e = x["span"]
                assert dom.find("mark", within=node)[0]["text"] == x["snippet"][s:e]
    assert set(unreadable) == {f["path"] for f in checked if f["findings"] and f["findings"][0]["code"] == "GK001"}
    skipped = [n["text"] for n in dom.find("li", within=dom.find("ul", "skipped")[0])]
    assert skipped == [f["path"] for f in files if f["skipped"]] and any(p.endswith("README.md") for p in skipped)
    # an old .doc is read like any file (through LibreOffice): nothing is found and left unchecked
    assert run["json"]["summary"]["not_checked"] == [] and any(f["path"].endswith("旧格式.doc") for f in files)


def test_agency_year_and_layout_in_the_json(run):
    by_name = {f["path"].rsplit("/", 1)[-1]: f for f in run["json"]["files"]}
    assert by_name["report-2022.docx"]["agency"] == "某市生态环境局"
    assert by_name["report-2022.docx"]["counts"] == {"error": 0, "warning": 0, "info": 0}
    assert by_name["report-2022.docx"]["layout"] == "gb2021"
    assert by_name["broken.docx"]["counts"]["error"] == 1 and by_name["broken.docx"]["agency"] == ""
    agencies = [f["agency"] for f in run["json"]["files"] if not f["skipped"] and not f["agency"] == ""]
    assert len(agencies) >= 20  # the binder names the agency of nearly every report; each reaches the summary


def test_a_table_finding_is_drawn_with_the_bad_cell_marked(run):
    dom = Dom(run["html"])
    marked = dom.find("td", "bad")
    assert marked, "no table finding drawn"
    for td in marked:
        finding = td
        while "finding" not in finding["attrs"].get("class", ""):
            finding = finding["parent"]
        expected = dom.find(cls="expected", within=finding)[0]["text"]
        assert td["text"].endswith("→ " + expected)  # 'found → expected', as on the terminal


def test_the_html_is_self_contained_and_the_hostile_text_inert(run):
    page = run["html"]
    assert page.count("<script") == 1  # gklint's own script, nothing from a document
    assert "&lt;script&gt;pwned=1&lt;/script&gt;" in page and "&lt;img src=x onerror" in page
    for raw in ("\x1b", "\u202e"):
        assert raw not in page
    assert "[bold red]本委[/bold red]" in page
    assert "http://" not in page and "https://" not in page and "src=" not in page.replace("&lt;img src=x", "")
    assert "default-src 'none'" in page


def test_csv_has_one_row_per_finding_matching_the_json(run):
    raw = run["csv_bytes"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["file", "agency", "year", "code", "severity", "message", "location", "expected", "found"]
    want = [[f["path"], f["agency"], str(f["report_year"] or ""), x["code"], x["severity"], x["message"],
             describe(x["location"]), x.get("expected") or "", x.get("found") or ""]
            for f in run["json"]["files"] for x in f["findings"]]
    hostile = [r for r in rows[1:] if HOSTILE_NAME in r[0]]
    assert hostile and all("\x1b" not in c and "\u202e" not in c for r in hostile for c in r)
    clean_rows = [r for r in rows[1:] if HOSTILE_NAME not in r[0]]
    assert clean_rows == [w for w in want if HOSTILE_NAME not in w[0]]
    assert len(rows) - 1 == len(want)
    quiet = [f["path"] for f in run["json"]["files"] if not f["findings"]]
    assert quiet and not any(r[0] in quiet for r in rows[1:])  # a file without findings has no row


def test_csv_cells_cannot_be_formulas(tmp_path, capsys, monkeypatch):
    (tmp_path / "=HYPERLINK(x).txt").write_text(seed("000").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["check", "=HYPERLINK(x).txt", "--output-format", "csv"])
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert len(rows) > 1 and all(r[0].startswith("'=") for r in rows[1:])


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="gklint-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_the_page_in_a_real_browser(run, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(run["html_path"].as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    assert browser.execute_script("return typeof window.pwned") == "undefined"
    assert "<script>pwned=1</script>" in browser.find_element(By.TAG_NAME, "body").text

    def column(cls):
        return [td.text for td in browser.find_elements(By.CSS_SELECTOR, f"#summary tbody tr:not([hidden]) td.{cls}")]

    heads = {th.text.split(" ")[0]: th for th in browser.find_elements(By.CSS_SELECTOR, "#summary th")}
    heads["错误"].click()
    errors_col = list(map(int, column("error")))
    assert errors_col == sorted(errors_col) and errors_col[0] < errors_col[-1]
    heads["错误"].click()
    assert list(map(int, column("error"))) == sorted(errors_col, reverse=True)
    heads["年度"].click()
    years = [int(y) if y else -1 for y in column("year")]
    assert years == sorted(years)

    files = run["json"]["files"]
    code = "GK001"
    Select(browser.find_element(By.ID, "code-filter")).select_by_value(code)
    assert sorted(column("path")) == sorted(f["path"] for f in files if any(x["code"] == code for x in f["findings"]))
    visible = browser.find_elements(By.CSS_SELECTOR, "section.file:not([hidden]) .finding:not([hidden])")
    assert visible == []  # an unreadable file has no findings section
    code = "GK503"
    Select(browser.find_element(By.ID, "code-filter")).select_by_value(code)
    with_code = sorted(f["path"] for f in files if any(x["code"] == code for x in f["findings"]))
    assert with_code and sorted(column("path")) == with_code
    visible = browser.find_elements(By.CSS_SELECTOR, "section.file:not([hidden]) .finding:not([hidden])")
    assert {v.get_attribute("data-code") for v in visible} == {code}
    assert len(visible) == sum(1 for f in files for x in f["findings"] if x["code"] == code)
    Select(browser.find_element(By.ID, "code-filter")).select_by_value("")
    Select(browser.find_element(By.ID, "severity-filter")).select_by_value("info")
    assert sorted(column("path")) == sorted(f["path"] for f in files if f["counts"]["info"])
    assert browser.execute_script("return typeof window.pwned") == "undefined"
    assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")] == []


def test_findings_across_years_reach_the_json_html_and_csv(run):
    by_name = {f["path"].rsplit("/", 1)[-1]: f for f in run["json"]["files"]}
    (carry,) = [x for x in by_name["pingtan_gaj_2022.html"]["findings"] if x["code"] == "GK601"]
    assert "gaj_2021_planted.txt" in carry["message"] and carry["location"]["previous"]["row"] == "四"
    (text,) = [x for x in by_name["czj_2025_planted.txt"]["findings"] if x["code"] == "GK603"]
    assert "pingtan_czj_2024.txt" in text["message"] and text["location"]["section"] == "五"
    assert carry["message"] in run["html"].replace("&quot;", '"') and "GK603" in run["html"]
    assert carry["message"].encode("utf-8") in run["csv_bytes"]
