"""`gklint serve` in a real browser (Debian's Chromium through chromium-driver): upload through the page, the
progress lines, the report in its frame, the downloads; text and names carrying markup run nothing."""

import shutil
import tempfile
import time
import zipfile

import pytest
from conftest import DATA, seed
from serving import EXAMPLES, Served

EVIL = "XX<script>pwned=1</script>条。<img src=x onerror=window.pwned=3>"  # either would set window.pwned
HOSTILE_NAME = "<img src=x onerror=window.pwned=2>.txt"


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="gklint-chromium-")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _downloaded(folder, name, timeout=60):
    path = folder / name
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and not list(folder.glob("*.crdownload")):
            return path
        time.sleep(0.2)
    raise AssertionError(f"{name} not downloaded: {sorted(p.name for p in folder.iterdir())}")


def _errors(driver):
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


@pytest.mark.slow
def test_upload_through_the_page(tmp_path, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(EXAMPLES / "report-2022-defects.docx", files / "report-2022-defects.docx")
    text = seed("000").read_text(encoding="utf-8")
    (files / HOSTILE_NAME).write_text(text.replace("一、总体情况\n", "一、总体情况\n" + EVIL + "\n", 1), encoding="utf-8")
    shutil.copy(DATA / "real" / "pingtan_jjf_2023.html", files / "pingtan_jjf_2023.html")
    served = Served(tmp_path)
    try:
        browser.get(served.url + "/")
        assert "拖到这里" in browser.find_element(By.ID, "drop").text
        browser.find_element(By.ID, "pick-files").send_keys("\n".join(str(p) for p in sorted(files.iterdir())))
        WebDriverWait(browser, 120).until(lambda d: d.find_element(By.ID, "report").is_displayed())
        assert "检查完成：3 个文件" in browser.find_element(By.ID, "status").text
        lines = browser.find_elements(By.CSS_SELECTOR, "#files li")
        assert [li.find_element(By.CLASS_NAME, "name").text for li in lines] == sorted(p.name for p in files.iterdir())
        assert all(li.find_element(By.CLASS_NAME, "state").text == "已检查" for li in lines)
        assert browser.execute_script("return typeof window.pwned") == "undefined"

        browser.switch_to.frame(browser.find_element(By.ID, "report"))
        codes = {f.get_attribute("data-code") for f in browser.find_elements(By.CSS_SELECTOR, ".finding")}
        assert {"GK304", "GK503"} <= codes
        body = browser.find_element(By.TAG_NAME, "body").text
        assert "<script>pwned=1</script>" in body and HOSTILE_NAME in body
        assert browser.find_elements(By.CSS_SELECTOR, "table.cells td.bad")  # the drawn table row
        assert browser.execute_script("return typeof window.pwned") == "undefined"
        browser.find_elements(By.CSS_SELECTOR, "#summary th")[4].click()  # the report's own script runs
        assert browser.find_elements(By.CSS_SELECTOR, "#summary th[data-sort]")
        browser.switch_to.default_content()

        (button,) = browser.find_elements(By.CSS_SELECTOR, "button.download-annotate")  # the one .docx
        button.click()
        copy = _downloaded(browser.downloads, "report-2022-defects.gklint.docx")
        with zipfile.ZipFile(copy) as z:
            assert "GK304" in z.read("word/comments.xml").decode("utf-8")
        (button,) = browser.find_elements(By.CSS_SELECTOR, "button.download-fix")
        button.click()  # GK304 alone: any of its cells could be wrong, so the copy has no revision
        fixed = _downloaded(browser.downloads, "report-2022-defects.gklint-fix.docx")
        with zipfile.ZipFile(fixed) as z:
            assert "w:ins " not in z.read("word/document.xml").decode("utf-8")
        browser.find_element(By.ID, "csv").click()
        table = _downloaded(browser.downloads, "gklint-检查结果.csv").read_bytes()
        assert table.startswith("\ufeff".encode()) and b"GK304" in table and HOSTILE_NAME.encode() in table
        assert browser.execute_script("return typeof window.pwned") == "undefined"
        assert _errors(browser) == []
        assert served.leftovers() == []
    finally:
        served.stop()


@pytest.mark.slow
def test_sign_in_through_the_page(tmp_path, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    served = Served(tmp_path, "--token", "office-token")
    try:
        browser.get(served.url + "/")
        assert browser.find_elements(By.ID, "drop") == []
        browser.find_element(By.ID, "token").send_keys("office-token")
        browser.find_element(By.CSS_SELECTOR, "form button").click()
        WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.ID, "drop"))
        browser.find_element(By.ID, "pick-files").send_keys(str(EXAMPLES / "report-2022-defects.docx"))
        WebDriverWait(browser, 120).until(lambda d: d.find_element(By.ID, "report").is_displayed())
        browser.switch_to.frame(browser.find_element(By.ID, "report"))
        assert browser.find_elements(By.CSS_SELECTOR, ".finding[data-code=GK304]")
        browser.switch_to.default_content()
        errors = [e for e in _errors(browser) if "401" not in e["message"]]  # the sign-in page itself is a 401
        assert errors == []
    finally:
        served.stop()


@pytest.mark.slow
def test_a_department_submits_in_the_page_and_the_office_sees_it_on_the_board(tmp_path, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from gklint.serve.store import open_store

    store = open_store(str(tmp_path / "store"))
    department, office = store.add_user("区教育局"), store.add_user("政务公开办", "office")
    served = Served(tmp_path, "--store", str(tmp_path / "store"))

    def sign_in(token):
        browser.delete_all_cookies()
        browser.get(served.url + "/")
        browser.find_element(By.ID, "token").send_keys(token)
        browser.find_element(By.CSS_SELECTOR, "form button").click()

    try:
        sign_in(department)
        WebDriverWait(browser, 30).until(lambda d: "已登录：区教育局" in d.find_element(By.CLASS_NAME, "lead").text)
        browser.find_element(By.ID, "pick-files").send_keys("\n".join(
            str(EXAMPLES / "series" / f"某区教育局{year}.docx") for year in (2022, 2023)))
        WebDriverWait(browser, 120).until(lambda d: d.find_element(By.ID, "report").is_displayed())
        assert "检查完成：2 个文件" in browser.find_element(By.ID, "status").text
        browser.get(served.url + "/board")
        assert "收报汇总" not in browser.page_source  # a department has no board

        sign_in(office)
        WebDriverWait(browser, 30).until(lambda d: d.current_url.endswith("/board"))
        WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#board tbody tr"))
        row = browser.find_element(By.CSS_SELECTOR, "#board tbody tr")
        cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
        assert cells[0].startswith("某区教育局") and cells[1] == "仅有警告" and cells[2] == "区教育局"
        assert "GK601" in cells[4] and cells[5] == "某区教育局2023.docx"
        assert browser.find_element(By.ID, "year").get_attribute("value") == "2023"
        report = row.find_elements(By.TAG_NAME, "td")[5].find_element(By.TAG_NAME, "a").get_attribute("href")
        assert "/report" in report
        board = browser.current_url
        browser.get(report)  # the findings the office sends back: the HTML report of that submission
        WebDriverWait(browser, 30).until(lambda d: "GK601" in d.page_source)
        assert "某区教育局2023.docx" in browser.page_source
        browser.get(board)
        WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#board tbody tr"))

        for name in ("某区民政局", HOSTILE_NAME):  # an agency named with markup stays text
            browser.find_element(By.ID, "expected-name").send_keys(name)
            browser.find_element(By.CSS_SELECTOR, "#add-expected button").click()
            WebDriverWait(browser, 30).until(lambda d: any(
                r.get_attribute("data-agency") == name for r in d.find_elements(By.CSS_SELECTOR, "#board tbody tr")))
        Select(browser.find_element(By.ID, "filter")).select_by_visible_text("未提交")
        shown = [r.get_attribute("data-agency") for r in browser.find_elements(By.CSS_SELECTOR, "#board tbody tr")]
        assert sorted(shown) == sorted(["某区民政局", HOSTILE_NAME])
        Select(browser.find_element(By.ID, "filter")).select_by_visible_text("全部")
        browser.find_element(By.CSS_SELECTOR, "#board th[data-key=agency]").click()
        first = browser.find_element(By.CSS_SELECTOR, "#board tbody tr").get_attribute("data-agency")
        browser.find_element(By.CSS_SELECTOR, "#board th[data-key=agency]").click()
        assert browser.find_element(By.CSS_SELECTOR, "#board tbody tr").get_attribute("data-agency") != first
        assert browser.execute_script("return typeof window.pwned") == "undefined"
        errors = [e for e in _errors(browser) if "401" not in e["message"] and "403" not in e["message"]]
        assert errors == []
    finally:
        served.stop()
