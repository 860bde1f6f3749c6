"""`gklint serve --store`: the reviewing office's server against a real SQLite file, a real server on loopback
and a real HTTP client. Departments see only their own submissions; the checks across years use the stored
report of the year before exactly as `gklint check 2022.docx 2023.docx` does; answered submissions survive a
SIGKILL; a restart keeps everything; --export writes it all out."""

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

import httpx
import pytest
from conftest import seed
from serving import EXAMPLES, Served, cli_json, upload

from gklint.serve.store import open_store

TIMEOUT = httpx.Timeout(120, connect=10)
SERIES = EXAMPLES / "series"
Y2022, Y2023 = SERIES / "某区教育局2022.docx", SERIES / "某区教育局2023.docx"


def gklint(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gklint", *args], capture_output=True, timeout=60, cwd=cwd)


def bearer(token: str) -> dict:
    return {"authorization": f"Bearer {token}"}


def submit(served, token, named, **data) -> httpx.Response:
    return httpx.post(f"{served.url}/api/check", files=upload(named), data=data, headers=bearer(token),
                      timeout=TIMEOUT)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A store with departments A and B and the office; the server on it; the tokens."""
    root = tmp_path_factory.mktemp("office")
    store = open_store(str(root / "store"))
    tokens = {"A": store.add_user("教育局"), "B": store.add_user("财政局"), "office": store.add_user("公开办", "office")}
    served = Served(root, "--store", str(root / "store"))
    served.tokens, served.store = tokens, root / "store"
    yield served
    served.stop()


def test_users_on_the_command_line(tmp_path):
    store = tmp_path / "收报"
    added = gklint("serve", "users", "add", "区教育局", "--store", str(store))
    assert added.returncode == 0, added.stderr.decode()
    token = added.stdout.decode().splitlines()[-1]
    assert len(token) == 43 and "区教育局" in added.stdout.decode()
    office = gklint("serve", "users", "add", "--office", "政务公开办", "--store", str(store))
    assert office.returncode == 0 and office.stdout.decode().splitlines()[-1] != token
    again = gklint("serve", "users", "add", "区教育局", "--store", str(store))
    assert again.returncode == 2 and "已有名为“区教育局”的用户" in again.stderr.decode()
    listed = gklint("serve", "users", "list", "--store", str(store)).stdout.decode()
    assert "区教育局  科室  提交 0 份" in listed and "政务公开办  政务公开办" in listed and token not in listed
    db = (store / "gklint.sqlite").read_bytes()
    assert token.encode() not in db and hashlib.sha256(token.encode()).hexdigest().encode() in db  # only a hash
    removed = gklint("serve", "users", "remove", "区教育局", "--store", str(store))
    assert removed.returncode == 0 and "已撤销" in removed.stdout.decode()
    assert "区教育局" not in gklint("serve", "users", "list", "--store", str(store)).stdout.decode()
    missing = gklint("serve", "users", "list", "--store", str(tmp_path / "nothing"))
    assert missing.returncode == 2 and "没有收报数据" in missing.stderr.decode()
    both = gklint("serve", "--store", str(store), "--token", "x", "--no-browser")
    assert both.returncode == 2 and "不能再用 --token" in both.stderr.decode()


def test_a_department_sees_only_its_own(office, tmp_path):
    a, b, boss = office.tokens["A"], office.tokens["B"], office.tokens["office"]
    mine = submit(office, a, [("教育局报告.docx", EXAMPLES / "report-2022-defects.docx")])
    theirs = submit(office, b, [("财政局报告.docx", EXAMPLES / "report-2022.docx")])
    assert mine.status_code == theirs.status_code == 200, (mine.text, theirs.text)
    my_id, their_id = mine.json()["files"][0]["submission_id"], theirs.json()["files"][0]["submission_id"]
    assert mine.headers["x-gklint-submissions"] == my_id

    def get(path, token=None):
        return httpx.get(office.url + path, headers=bearer(token) if token else {}, timeout=TIMEOUT)

    listed = get("/api/submissions", a).json()
    assert {r["id"] for r in listed} == {my_id} and listed[0]["department"] == "教育局"
    assert {r["id"] for r in get("/api/submissions", b).json()} == {their_id}
    assert {my_id, their_id} <= {r["id"] for r in get("/api/submissions", boss).json()}
    detail = get(f"/api/submissions/{my_id}", a).json()
    assert any(f["code"] == "GK304" for f in detail["findings"]) and detail["file"] == "教育局报告.docx"
    assert get(f"/api/submissions/{my_id}/file", a).content == (EXAMPLES / "report-2022-defects.docx").read_bytes()
    shown = get(f"/api/submissions/{my_id}/report", a)  # the HTML report the office sends back
    assert shown.status_code == 200 and shown.headers["content-type"].startswith("text/html")
    assert "GK304" in shown.text and "教育局报告.docx" in shown.text and "财政局" not in shown.text

    flipped = their_id[:-1] + format((int(their_id[-1], 16) + 1) % 16, "x")
    guesses = [their_id, flipped, their_id.upper(), secrets.token_hex(8), "1", "0", "-1", "%2e%2e", "x" * 300,
               f"{their_id}%00", "' OR '1'='1"]
    for guess in guesses:
        for path in (f"/api/submissions/{guess}", f"/api/submissions/{guess}/file",
                     f"/api/submissions/{guess}/report"):
            answer = get(path, a)
            assert answer.status_code == 404, (path, answer.status_code)
            assert "财政局" not in answer.text and "report-2022" not in answer.text
    assert get(f"/api/submissions/{their_id}", boss).json()["department"] == "财政局"
    assert get(f"/api/submissions/{their_id}/file", boss).content == (EXAMPLES / "report-2022.docx").read_bytes()
    assert "财政局报告.docx" in get(f"/api/submissions/{their_id}/report", boss).text

    routes = ["/", "/board", "/api/health", "/api/me", "/api/submissions", f"/api/submissions/{my_id}",
              f"/api/submissions/{my_id}/file", f"/api/submissions/{my_id}/report", "/api/board", "/api/board.csv",
              "/api/board.xlsx", "/api/rollup.xlsx", "/api/expected"]
    for token in (None, "wrong", a + "x", ""):
        for path in routes:
            answer = get(path, token)
            assert answer.status_code == 401, (path, token)
            assert my_id not in answer.text and "教育局" not in answer.text
        answer = httpx.post(f"{office.url}/api/check", files=upload([("r.docx", EXAMPLES / "report-2022.docx")]),
                            headers=bearer(token) if token else {}, timeout=TIMEOUT)
        assert answer.status_code == 401
    for path in ("/board", "/api/board", "/api/board.csv", "/api/board.xlsx?year=2022", "/api/expected"):
        assert get(path, a).status_code == 403, path
    posted = httpx.post(f"{office.url}/api/expected", data={"name": "某局"}, files={"x": ("x", b"")},
                        headers=bearer(a), timeout=TIMEOUT)
    assert posted.status_code == 403
    assert get("/api/me", a).json() == {"name": "教育局", "role": "department"}


def test_sign_in_with_a_department_or_office_token(office):
    for who, home in (("A", "/"), ("office", "/board")):
        with httpx.Client(base_url=office.url, timeout=TIMEOUT) as browser:
            assert browser.post("/login", data={"token": "nope"}).status_code == 401
            signed = browser.post("/login", data={"token": office.tokens[who]})
            assert signed.status_code == 303 and signed.headers["location"] == home
            assert office.tokens[who] not in signed.headers["set-cookie"]
            assert browser.get("/api/me").json()["role"] == ("office" if who == "office" else "department")
            assert browser.get("/board").status_code == (200 if who == "office" else 403)
            uid, mac = browser.cookies["gklint_token"].split(".")
            browser.cookies.clear()  # another user's id with this cookie's mark: refused
            assert httpx.get(f"{office.url}/api/me", cookies={"gklint_token": f"{int(uid) + 1}.{mac}"},
                             timeout=TIMEOUT).status_code == 401


def test_a_removed_user_is_locked_out_at_once(office):
    store = open_store(str(office.store))
    token = store.add_user("临时科室")
    with httpx.Client(base_url=office.url, timeout=TIMEOUT) as browser:
        assert browser.post("/login", data={"token": token}).status_code == 303
        assert browser.get("/api/submissions").status_code == 200
        assert gklint("serve", "users", "remove", "临时科室", "--store", str(office.store)).returncode == 0
        assert browser.get("/api/submissions").status_code == 401  # the cookie died with the token
    assert httpx.get(f"{office.url}/api/submissions", headers=bearer(token), timeout=TIMEOUT).status_code == 401


def test_across_years_against_the_stored_report(office, tmp_path):
    """2023 submitted after 2022 (the same names): the answer is the CLI's for `check 2022.docx 2023.docx`."""
    shutil.copy(Y2022, tmp_path / "2022.docx")
    shutil.copy(Y2023, tmp_path / "2023.docx")
    want = [f for f in cli_json(tmp_path, ["2022.docx", "2023.docx"])["files"] if f["path"] == "2023.docx"][0]
    assert {f["code"] for f in want["findings"]} >= {"GK601", "GK602"}
    a = office.tokens["A"]
    first = submit(office, a, [("2022.docx", Y2022)]).json()["files"][0]
    assert not any(f["code"].startswith("GK60") for f in first["findings"]) and first["changes"] is None
    got = submit(office, a, [("2023.docx", Y2023)]).json()["files"][0]
    assert {k: v for k, v in got.items() if k not in ("submission_id", "changes")} == want
    again = submit(office, a, [("2023.docx", Y2023)]).json()["files"][0]
    assert again["changes"] == {"since": got["submission_id"], "fixed": [], "new": []}
    # another department's 2023 report of the same agency is compared with the stored 2022 one too: agencies,
    # not departments, make the series; the findings show only numbers of the report before
    other = submit(office, office.tokens["B"], [("2023.docx", Y2023)]).json()["files"][0]
    assert [f["code"] for f in other["findings"]] == [f["code"] for f in want["findings"]]
    assert other["changes"] is None  # its own first submission of that report
    alone = submit(office, a, [("2023.docx", Y2023)], keep="0").json()["files"][0]
    assert "submission_id" not in alone and alone == want  # keep=0: checked, not kept


def test_a_submission_refuses_an_uploaded_config(office):
    answer = submit(office, office.tokens["A"], [("r.docx", EXAMPLES / "report-2022.docx")], config="ignore = ['GK304']")
    assert answer.status_code == 400 and "不能同时上传 config" in answer.json()["error"]


def test_unreadable_files_are_kept_too(office):
    answer = httpx.post(f"{office.url}/api/check", files=[("file", ("坏文件.docx", b"PK\x03\x04 broken"))],
                        headers=bearer(office.tokens["A"]), timeout=TIMEOUT)
    entry = answer.json()["files"][0]
    assert answer.status_code == 200 and entry["findings"][0]["code"] == "GK001"
    row = httpx.get(f"{office.url}/api/submissions/{entry['submission_id']}", headers=bearer(office.tokens["A"]),
                    timeout=TIMEOUT).json()
    assert row["unreadable"] and row["counts"]["error"] == 1


def test_the_progress_stream_keeps_and_names_the_submissions(office):
    with httpx.stream("POST", f"{office.url}/api/check", files=upload([("p.docx", EXAMPLES / "report-2022.docx")]),
                      data={"progress": "1"}, headers=bearer(office.tokens["B"]), timeout=TIMEOUT) as answer:
        events = [json.loads(line) for line in answer.iter_lines() if line]
    done = events[-1]
    assert done["event"] == "done" and len(done["submissions"]) == 1
    assert json.loads(done["body"])["files"][0]["submission_id"] == done["submissions"][0]
    mine = httpx.get(f"{office.url}/api/submissions", headers=bearer(office.tokens["B"]), timeout=TIMEOUT).json()
    assert done["submissions"][0] in {r["id"] for r in mine}


def test_the_board_expected_agencies_and_the_csv(office):
    boss = office.tokens["office"]
    submit(office, office.tokens["A"], [("2022.docx", Y2022)])  # on file whichever test ran before: GK601 in 2023
    submit(office, office.tokens["A"], [("2023.docx", Y2023)])
    names = "机关,备注\n某区教育局,教育\n某区卫生健康委员会,\n=HYPERLINK(\"x\"),注入\n".encode("utf-8-sig")
    added = httpx.post(f"{office.url}/api/expected", files={"file": ("名单.csv", names)}, headers=bearer(boss),
                       timeout=TIMEOUT)
    assert added.status_code == 200 and added.json()["added"] == 3, added.text
    one = httpx.post(f"{office.url}/api/expected", files={"name": (None, "某区民政局")}, headers=bearer(boss),
                     timeout=TIMEOUT)
    assert one.json()["added"] == 1
    board = httpx.get(f"{office.url}/api/board?year=2023", headers=bearer(boss), timeout=TIMEOUT).json()
    rows = {r["agency"]: r for r in board["rows"]}
    assert rows["某区教育局"]["status"] == "仅有警告" and rows["某区教育局"]["expected"]
    assert "GK601" in rows["某区教育局"]["codes"] and rows["某区教育局"]["submission_id"]
    assert rows["某区卫生健康委员会"]["status"] == rows["某区民政局"]["status"] == "未提交"
    assert httpx.get(f"{office.url}/api/board?year=abc", headers=bearer(boss), timeout=TIMEOUT).status_code == 400
    table = httpx.get(f"{office.url}/api/board.csv?year=2023", headers=bearer(boss), timeout=TIMEOUT)
    assert table.content.startswith("\ufeff".encode()) and table.text.splitlines()[0].lstrip("\ufeff").startswith("机关,状态")
    assert "'=HYPERLINK" in table.text and "\n=HYPERLINK" not in table.text
    book = httpx.get(f"{office.url}/api/board.xlsx?year=2023", headers=bearer(boss), timeout=TIMEOUT)
    assert book.status_code == 200 and book.headers["content-type"].startswith("application/vnd.openxmlformats")
    import io

    import openpyxl

    cells = [str(c.value) for ws in openpyxl.load_workbook(io.BytesIO(book.content)).worksheets
             for row in ws.iter_rows() for c in row if c.value is not None]
    assert "某区教育局" in cells and "某区卫生健康委员会" in cells and "GK601" in cells
    page = httpx.get(f"{office.url}/board", headers=bearer(boss), timeout=TIMEOUT)
    assert page.status_code == 200 and "收报汇总" in page.text and "<script src=\"/static/board.js\">" in page.text
    js = httpx.get(f"{office.url}/static/board.js", headers=bearer(boss), timeout=TIMEOUT).text
    assert "innerHTML" not in js and "textContent" in js


def test_the_region_totals_from_the_board_equal_gklint_rollup(tmp_path):
    """The board's 区域汇总 downloads: the latest submission of every agency of the year, added up as `gklint rollup`
    adds up the same files (a resubmission replaces the earlier one); a department may not have it."""
    import io

    import openpyxl
    from docgen import build_docx, consistent_data

    def data(factor):
        d = consistent_data()
        d["t3"] = {k: [x * factor for x in v] for k, v in d["t3"].items()}
        return d

    for name, factor in (("甲局", 1), ("乙局", 3)):
        build_docx(tmp_path / f"{name}.docx", year=2023, agency=f"某县{name}", data=data(factor))
    build_docx(tmp_path / "甲局-初稿.docx", year=2023, agency="某县甲局", data=data(7))
    store = open_store(str(tmp_path / "store"))
    a, b, boss = store.add_user("甲局"), store.add_user("乙局"), store.add_user("公开办", "office")
    served = Served(tmp_path, "--store", str(tmp_path / "store"))
    try:
        assert submit(served, a, [("初稿.docx", tmp_path / "甲局-初稿.docx")]).status_code == 200
        assert submit(served, a, [("甲局.docx", tmp_path / "甲局.docx")]).status_code == 200  # replaces the draft
        assert submit(served, b, [("乙局.docx", tmp_path / "乙局.docx")]).status_code == 200
        book = httpx.get(f"{served.url}/api/rollup.xlsx?year=2023", headers=bearer(boss), timeout=TIMEOUT)
        assert book.status_code == 200, book.text
        assert book.headers["x-gklint-reports"] == "2" and book.headers["x-gklint-not-read"] == "0"
        cli = subprocess.run([sys.executable, "-m", "gklint", "rollup", "甲局.docx", "乙局.docx", "--output-format",
                              "xlsx", "-o", "cli.xlsx"], cwd=tmp_path, capture_output=True, timeout=120)
        assert cli.returncode == 0, cli.stderr.decode()
        served_book = openpyxl.load_workbook(io.BytesIO(book.content))
        cli_book = openpyxl.load_workbook(tmp_path / "cli.xlsx")
        assert served_book.sheetnames == cli_book.sheetnames and "报告" in served_book.sheetnames
        for name in served_book.sheetnames[:-1]:  # the tables; 报告 names the files as each was given
            assert [[c.value for c in row] for row in served_book[name].iter_rows()] == \
                   [[c.value for c in row] for row in cli_book[name].iter_rows()], name
        files = [row[0].value for row in served_book["报告"].iter_rows(min_row=2)]
        assert sorted(files) == ["某县乙局/乙局.docx", "某县甲局/甲局.docx"]
        word = httpx.get(f"{served.url}/api/rollup.docx?year=2023", headers=bearer(boss), timeout=TIMEOUT)
        assert word.status_code == 200 and word.content[:2] == b"PK" and "wordprocessingml" in word.headers["content-type"]
        for refused in (httpx.get(f"{served.url}/api/rollup.xlsx?year=2023", headers=bearer(a), timeout=TIMEOUT),
                        httpx.get(f"{served.url}/api/rollup.xlsx?year=2023", timeout=TIMEOUT)):
            assert refused.status_code in (401, 403) and refused.content[:2] != b"PK"
        assert httpx.get(f"{served.url}/api/rollup.xlsx?year=2019", headers=bearer(boss),
                         timeout=TIMEOUT).status_code == 404
        assert httpx.get(f"{served.url}/api/rollup.csv?year=2023", headers=bearer(boss),
                         timeout=TIMEOUT).status_code == 404
    finally:
        served.stop()


def test_an_empty_board_is_last_year(tmp_path):
    store = open_store(str(tmp_path / "store"))
    boss = store.add_user("公开办", "office")
    served = Served(tmp_path, "--store", str(tmp_path / "store"))
    try:
        board = httpx.get(f"{served.url}/api/board", headers=bearer(boss), timeout=TIMEOUT).json()
        assert board["year"] == time.gmtime().tm_year - 1 and board["rows"] == []
    finally:
        served.stop()


def test_without_a_store_the_office_routes_are_absent(tmp_path):
    served = Served(tmp_path)
    try:
        for path in ("/api/submissions", "/api/board", "/board", "/api/me"):
            assert httpx.get(served.url + path, timeout=TIMEOUT).status_code == 404, path
        answer = httpx.post(f"{served.url}/api/check", files=upload([("r.docx", EXAMPLES / "report-2022.docx")]),
                            timeout=TIMEOUT)
        assert answer.status_code == 200 and "submission_id" not in answer.text
    finally:
        served.stop()


def _variant(i: int) -> tuple[str, bytes]:
    """A distinct report per submission: the same seed with its own last line."""
    text = seed("000").read_text(encoding="utf-8") + f"\n（第 {i} 份提交）\n"
    return f"报告{i:03d}.txt", text.encode("utf-8")


@pytest.mark.slow
def test_concurrent_submissions_then_a_sigkill_then_a_restart(tmp_path):
    store_dir = tmp_path / "store"
    store = open_store(str(store_dir))
    tokens = {f"科室{d}": store.add_user(f"科室{d}") for d in range(10)}
    boss = store.add_user("公开办", "office")
    served = Served(tmp_path, "--store", str(store_dir), "--workers", "4")
    sent = {}
    try:
        def one(i):
            department = f"科室{i % 10}"
            name, body = _variant(i)
            answer = httpx.post(f"{served.url}/api/check", files=[("file", (name, body))],
                                headers=bearer(tokens[department]), timeout=TIMEOUT)
            assert answer.status_code == 200, answer.text
            return department, answer.json()["files"][0]["submission_id"], body

        started = time.monotonic()
        with ThreadPoolExecutor(10) as pool:
            for department, sid, body in pool.map(one, range(30)):
                sent[sid] = (department, body)
        print(f"30 concurrent submissions in {time.monotonic() - started:.1f} s")
        for department, token in tokens.items():
            listed = httpx.get(f"{served.url}/api/submissions", headers=bearer(token), timeout=TIMEOUT).json()
            assert sorted(r["id"] for r in listed) == sorted(s for s, (d, _) in sent.items() if d == department)
            assert len(listed) == 3 and all(r["department"] == department for r in listed)
            for r in listed:
                got = httpx.get(f"{served.url}/api/submissions/{r['id']}/file", headers=bearer(token),
                                timeout=TIMEOUT).content
                assert got == sent[r["id"]][1]

        # a burst, and SIGKILL in the middle of it: every answered submission must be there after a restart
        answered, failed, lock = {}, [], threading.Lock()

        def burst(i):
            name, body = _variant(100 + i)
            try:
                answer = httpx.post(f"{served.url}/api/check", files=[("file", (name, body))],
                                    headers=bearer(tokens[f"科室{i % 10}"]), timeout=TIMEOUT)
            except httpx.HTTPError:
                with lock:
                    failed.append(i)
                return
            if answer.status_code == 200:
                with lock:
                    answered[answer.json()["files"][0]["submission_id"]] = body

        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(burst, i) for i in range(60)]
            deadline = time.monotonic() + 60
            while len(answered) < 10 and time.monotonic() < deadline:
                time.sleep(0.02)
            served.proc.kill()  # SIGKILL: no shutdown, no flush
            for f in as_completed(futures, timeout=120):
                f.result()
        served.proc.wait(timeout=30)
        print(f"burst: 60 sent, {len(answered)} answered before SIGKILL, {len(failed)} failed")
        assert len(answered) >= 10 and failed
    finally:
        served.stop()

    store = open_store(str(store_dir))
    assert store.integrity() == "ok"
    with sqlite3.connect(store_dir / "gklint.sqlite", timeout=30) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    restarted = Served(tmp_path, "--store", str(store_dir))
    try:
        rows = httpx.get(f"{restarted.url}/api/submissions", headers=bearer(boss), timeout=TIMEOUT).json()
        found = {r["id"] for r in rows}
        print(f"after restart: {len(rows)} submissions stored ({len(sent)} + {len(answered)} answered)")
        assert set(sent) | set(answered) <= found
        for sid, body in list(answered.items())[:10]:
            got = httpx.get(f"{restarted.url}/api/submissions/{sid}/file", headers=bearer(boss), timeout=TIMEOUT)
            assert got.content == body
    finally:
        restarted.stop()


def test_a_restart_keeps_everything_and_export_writes_it_out(tmp_path):
    store_dir = tmp_path / "store"
    store = open_store(str(store_dir))
    a, boss = store.add_user("教育局"), store.add_user("公开办", "office")
    served = Served(tmp_path, "--store", str(store_dir))
    try:
        ids = [submit(served, a, [(n, p)]).json()["files"][0]["submission_id"]
               for n, p in (("2022.docx", Y2022), ("../../etc/passwd", EXAMPLES / "report-2022.docx"))]
    finally:
        assert served.stop() == 0
    served = Served(tmp_path, "--store", str(store_dir))
    try:
        assert [r["id"] for r in httpx.get(f"{served.url}/api/submissions", headers=bearer(a),
                                           timeout=TIMEOUT).json()] == ids
        got = submit(served, a, [("2023.docx", Y2023)]).json()["files"][0]  # paired with 2022 after the restart
        assert {"GK601", "GK602"} <= {f["code"] for f in got["findings"]}
        with httpx.Client(base_url=served.url, timeout=TIMEOUT) as browser:  # cookies outlive a restart too
            assert browser.post("/login", data={"token": boss}).status_code == 303
    finally:
        served.stop()
    assert not any(p.name == "passwd" for p in store_dir.rglob("*"))  # stored by id, never by the uploaded name
    out = gklint("serve", "--store", str(store_dir), "--export", str(tmp_path / "export"))
    assert out.returncode == 0 and "已导出 3 份提交" in out.stdout.decode(), out.stderr.decode()
    rows = json.loads((tmp_path / "export" / "submissions.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in rows][:2] == ids and rows[2]["year"] == 2023
    for r in rows:
        assert (tmp_path / "export" / r["exported_file"]).read_bytes() == (store_dir / "files").joinpath(
            next(p.name for p in (store_dir / "files").iterdir() if p.name.startswith(r["id"]))).read_bytes()
        assert r["exported_file"].startswith("files/教育局/") and ".." not in r["exported_file"].split("/")
    users = (tmp_path / "export" / "users.json").read_text(encoding="utf-8")
    assert "公开办" in users and a not in users and hashlib.sha256(a.encode()).hexdigest() not in users
    again = gklint("serve", "--store", str(store_dir), "--export", str(tmp_path / "export"))
    assert again.returncode == 2 and "不是空文件夹" in again.stderr.decode()
    assert not any(n.startswith("report-2022") for n in os.listdir(store_dir / "files"))
