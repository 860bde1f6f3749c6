"""`gklint serve` against a real server (uvicorn in a subprocess on a free loopback port) and a real HTTP client:
the API answers what the CLI prints, refuses what it must, and keeps nothing."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from conftest import DATA
from serving import EXAMPLES, Served, cli_json, upload, without_time

TIMEOUT = httpx.Timeout(120, connect=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    served = Served(tmp_path_factory.mktemp("serve"))
    yield served
    served.stop()


def _check(server, named, **data) -> httpx.Response:
    return httpx.post(f"{server.url}/api/check", files=upload(named), data=data, timeout=TIMEOUT)


def _same_as_cli(server, tmp_path, named, *options, **data):
    """The API's JSON equals the CLI's for the same files under the same names, file by file."""
    for name, path in named:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, tmp_path / name)
    answer = _check(server, named, **data)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    got, want = without_time(answer.json()), without_time(cli_json(tmp_path, [n for n, _ in named], *options))
    assert [f["path"] for f in got["files"]] == [n for n, _ in named]
    for g, w in zip(got["files"], want["files"]):
        assert g == w, g["path"]
    assert got == want
    return got


def test_health(server):
    h = httpx.get(f"{server.url}/api/health", timeout=TIMEOUT).json()
    assert h["status"] == "ok" and h["formats"] == ["json", "html", "csv"]
    assert [d["route"] for d in h["downloads"]] == ["/api/annotate", "/api/fix"]
    assert h["limits"]["files"] == 100 and h["limits"]["file_size"] == 50 << 20


def test_examples_answer_as_the_cli(server, tmp_path):
    named = [(p.name, p) for p in sorted(EXAMPLES.glob("*.docx"))]
    named += [(f"series/{p.name}", p) for p in sorted((EXAMPLES / "series").glob("*.docx"))]
    got = _same_as_cli(server, tmp_path, named)
    assert any(f["code"] == "GK304" for f in got["files"][0]["findings"])
    assert server.leftovers() == []


def test_series_pair_across_years_as_the_cli(server, tmp_path):
    named = [(f"{p.parent.name}/{p.name}", p) for p in sorted((DATA / "series").glob("*/*.txt"))]
    got = _same_as_cli(server, tmp_path, named)
    assert any(f["code"].startswith("GK60") for r in got["files"] for f in r["findings"])


@pytest.mark.slow
def test_planted_word_defects_and_hostile_files_answer_as_the_cli(server, tmp_path):
    from drafts import DEFECTS, base_report, make_variant
    from test_hostile import LAUGHS, bomb, rezip, xxe

    made = tmp_path / "made"
    made.mkdir()
    base = base_report(made / "base.docx")
    named = [("base.docx", base)]
    for name, (edit, _) in DEFECTS.items():
        named.append((f"{name}.docx", make_variant(base, made / f"{name}.docx", edit)))
    good = EXAMPLES / "report-2022-defects.docx"
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    hostile = {"xxe.docx": rezip(good, made / "xxe.docx", {"word/document.xml": xxe(str(secret))}),
               "laughs.docx": rezip(good, made / "laughs.docx", {"word/document.xml": LAUGHS}),
               "bomb.docx": bomb(made / "bomb.docx", 200 << 20),
               "encrypted.docx": DATA / "hostile" / "encrypted-password-secret.docx",
               "legacy.doc": DATA / "hostile" / "legacy.doc"}
    (made / "random.docx").write_bytes(os.urandom(4096))
    hostile["random.docx"] = made / "random.docx"
    named += list(hostile.items())
    got = _same_as_cli(server, tmp_path / "cli", named)
    by_name = {f["path"]: f for f in got["files"]}
    for name in hostile:  # the old .doc is read through LibreOffice (GK004 says so), as by the CLI
        assert [f["code"] for f in by_name[name]["findings"]] == (["GK004"] if name == "legacy.doc" else ["GK001"]), name
    assert "TOP-SECRET" not in json.dumps(got)
    assert any(f["code"] != "GK001" for name in DEFECTS for f in by_name[f"{name}.docx"]["findings"])


@pytest.mark.slow
def test_real_corpus_answers_as_the_cli(server, tmp_path):
    from gklint.readers import SUFFIXES

    named = [(p.name, p) for p in sorted((DATA / "real").iterdir()) if p.suffix in SUFFIXES]
    named += [(f"pdf/{p.name}", p) for p in sorted((DATA / "pdf").glob("*.pdf"))]
    got = _same_as_cli(server, tmp_path, named)
    assert len(got["files"]) == len(named) > 40


def test_form_fields_with_the_cli_names(server, tmp_path):
    report = EXAMPLES / "report-2022-defects.docx"
    _same_as_cli(server, tmp_path, [("r.docx", report)], "--ruleset", "gb2019", "--agency-kind", "government",
                 ruleset="gb2019", **{"agency-kind": "government"})
    (tmp_path / "mine.toml").write_text('ignore = ["GK503"]\n[severity]\nGK304 = "warning"\n', encoding="utf-8")
    got = _same_as_cli(server, tmp_path, [("r.docx", report)], "--config", "mine.toml",
                       config=(tmp_path / "mine.toml").read_text(encoding="utf-8"))
    codes = {f["code"]: f["severity"] for f in got["files"][0]["findings"]}
    assert "GK503" not in codes and codes["GK304"] == "warning"


@pytest.mark.parametrize("data, words", [
    ({"ruleset": "/etc/passwd"}, "不是内置规则集"),
    ({"agency-kind": "city"}, "agency-kind"),
    ({"output-format": "sarif"}, "output-format"),
    ({"colour": "red"}, "未知的表单字段：colour"),
    ({"config": 'baseline = "/etc/shadow"'}, "不能引用服务器上的文件"),
    ({"config": 'ruleset = "../x.toml"'}, "只能使用内置规则集名称"),
    ({"config": "select = [1"}, "TOML 语法错误"),
])
def test_bad_fields_are_400_in_chinese(server, data, words):
    answer = _check(server, [("r.docx", EXAMPLES / "report-2022.docx")], **data)
    assert answer.status_code == 400 and words in answer.json()["error"]


def test_no_file_and_not_multipart(server):
    answer = httpx.post(f"{server.url}/api/check", content=b"{}", headers={"content-type": "application/json"},
                        timeout=TIMEOUT)
    assert answer.status_code == 415 and "multipart/form-data" in answer.json()["error"]
    answer = httpx.post(f"{server.url}/api/check", files={"config": ("gklint.toml", b"")}, timeout=TIMEOUT)
    assert answer.status_code == 400 and "没有上传文件" in answer.json()["error"]


def test_html_and_csv_are_the_cli_formats(server, tmp_path):
    report = EXAMPLES / "report-2022-defects.docx"
    html_answer = _check(server, [("r.docx", report)], **{"output-format": "html"})
    assert html_answer.headers["content-type"].startswith("text/html")
    assert "script-src 'sha256-" in html_answer.headers["content-security-policy"]
    assert "GK304" in html_answer.text and '<table class="cells">' in html_answer.text
    shutil.copy(report, tmp_path / "r.docx")
    cli = subprocess.run([sys.executable, "-m", "gklint", "check", "--output-format", "csv", "--no-cache", "r.docx"],
                         cwd=tmp_path, capture_output=True, timeout=120)
    csv_answer = _check(server, [("r.docx", report)], **{"output-format": "csv"})
    assert csv_answer.content == cli.stdout and csv_answer.content.startswith("\ufeff".encode())


def test_progress_stream(server):
    named = [("a.docx", EXAMPLES / "report-2022-defects.docx"), ("b.docx", EXAMPLES / "report-2022.docx")]
    with httpx.stream("POST", f"{server.url}/api/check", files=upload(named),
                      data={"progress": "1", "output-format": "html"}, timeout=TIMEOUT) as answer:
        assert answer.headers["content-type"].startswith("application/x-ndjson")
        events = [json.loads(line) for line in answer.iter_lines() if line]
    assert events[0] == {"event": "start", "files": ["a.docx", "b.docx"]}
    assert sorted(e["index"] for e in events[1:-1]) == [0, 1] and events[1]["event"] == "file"
    assert events[-1]["event"] == "done" and "GK304" in events[-1]["body"]


def test_annotate_gives_the_cli_copy(server, tmp_path):
    report = EXAMPLES / "report-2022-defects.docx"
    answer = httpx.post(f"{server.url}/api/annotate", files=upload([("某局 报告.docx", report)]), timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "filename*=UTF-8''%E6%9F%90%E5%B1%80%20%E6%8A%A5%E5%91%8A.gklint.docx" in answer.headers[
        "content-disposition"]
    (tmp_path / "api.docx").write_bytes(answer.content)
    shutil.copy(report, tmp_path / "r.docx")
    subprocess.run([sys.executable, "-m", "gklint", "annotate", "r.docx", "-o", "cli.docx"], cwd=tmp_path,
                   check=True, capture_output=True, timeout=120)

    def comments(path):
        import docx

        docx.Document(str(path))  # a valid Word package
        with zipfile.ZipFile(path) as z:
            from lxml import etree

            root = etree.fromstring(z.read("word/comments.xml"))
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        return ["".join(c.itertext()) for c in root.iter(f"{w}comment")]

    got = comments(tmp_path / "api.docx")
    assert got == comments(tmp_path / "cli.docx") and len(got) == int(answer.headers["x-gklint-comments"]) >= 4
    assert any("GK304" in c for c in got)


@pytest.mark.parametrize("name, content, status, words", [
    ("r.txt", b"text", 400, "不是 .docx"),
    ("broken.docx", b"PK\x03\x04 broken", 422, "未生成批注副本"),
])
def test_annotate_refuses_what_it_cannot_annotate(server, name, content, status, words):
    answer = httpx.post(f"{server.url}/api/annotate", files=[("file", (name, content))], timeout=TIMEOUT)
    assert answer.status_code == status and words in answer.json()["error"]


def test_hostile_names_are_labels_only(server, tmp_path):
    report = EXAMPLES / "report-2022-defects.docx"
    names = ["../../etc/passwd", "<img src=x onerror=alert(1)>.docx", "..\\..\\win.ini.docx", "\x1b[31mred.txt"]
    answer = _check(server, [(n, report) for n in names])
    assert [f["path"] for f in answer.json()["files"]] == names
    html_answer = _check(server, [(n, report) for n in names], **{"output-format": "html"}).text
    assert "<img src=x" not in html_answer and "&lt;img src=x onerror=alert(1)&gt;.docx" in html_answer
    assert server.leftovers() == []
    assert not any(p.name in ("passwd", "win.ini.docx") for p in Path(server.tmp).parent.rglob("*"))


def test_upload_limits_are_413_in_chinese(tmp_path):
    served = Served(tmp_path, "--max-files", "2", "--max-file-size", "1")
    try:
        report = EXAMPLES / "report-2022.docx"
        answer = httpx.post(f"{served.url}/api/check", files=upload([("a.docx", report)] * 3), timeout=TIMEOUT)
        assert answer.status_code == 413 and "每次最多上传 2 个文件" in answer.json()["error"]
        answer = httpx.post(f"{served.url}/api/check", files=[("file", ("big.txt", b"x" * (2 << 20)))],
                            timeout=TIMEOUT)
        assert answer.status_code == 413 and "big.txt 过大" in answer.json()["error"]
        assert served.leftovers() == []
    finally:
        served.stop()


def _rss_peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_one_gigabyte_upload_is_refused_within_seconds(server):
    def body():
        yield b'--B\r\nContent-Disposition: form-data; name="file"; filename="huge.docx"\r\n\r\n'
        chunk = b"\0" * (1 << 20)
        for _ in range(1024):  # 1 GB, made as it is sent
            yield chunk
        yield b"\r\n--B--\r\n"

    start = time.monotonic()
    answer = httpx.post(f"{server.url}/api/check", content=body(),
                        headers={"content-type": "multipart/form-data; boundary=B"}, timeout=TIMEOUT)
    assert answer.status_code == 413 and "huge.docx 过大" in answer.json()["error"]
    assert time.monotonic() - start < 10
    assert _rss_peak_kb(server.proc.pid) < 200 * 1024
    assert server.leftovers() == []
    assert httpx.get(f"{server.url}/api/health", timeout=TIMEOUT).status_code == 200


def test_a_declared_huge_upload_is_refused_before_reading(server):
    import socket

    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=B\r\n"
                  b"Content-Length: 1099511627776\r\n\r\n")
        chunks = []  # the headers and the body may come in separate packets: read until the server closes
        while chunk := s.recv(65536):
            chunks.append(chunk)
        reply = b"".join(chunks).decode("utf-8", "replace")
    assert reply.startswith("HTTP/1.1 413") and "每次最多 500 MB" in reply


def test_other_hosts_are_refused_on_loopback(server):
    answer = httpx.get(f"{server.url}/api/health", headers={"host": "attacker.example"}, timeout=TIMEOUT)
    assert answer.status_code == 403


def test_page_and_security_headers(server):
    page = httpx.get(server.url + "/", timeout=TIMEOUT)
    assert page.status_code == 200 and "把报告文件或整个文件夹拖到这里" in page.text
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self' 'sha256-" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "http" not in page.text.replace("http-equiv", "")  # no asset from the network
    js = httpx.get(server.url + "/static/page.js", timeout=TIMEOUT)
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "innerHTML" not in js.text
    assert httpx.get(server.url + "/static/../app.py", timeout=TIMEOUT).status_code == 404


def test_any_other_host_needs_a_token(tmp_path):
    out = subprocess.run([sys.executable, "-m", "gklint", "serve", "--host", "0.0.0.0", "--no-browser"],
                         cwd=tmp_path, capture_output=True, timeout=30, env={**os.environ, "GKLINT_TOKEN": ""})
    assert out.returncode == 2 and "必须用 --token" in out.stderr.decode() and not out.stdout


def test_with_a_token_every_request_needs_it(tmp_path):
    served = Served(tmp_path, "--token", "s3cret-token")
    try:
        report = [("r.docx", EXAMPLES / "report-2022-defects.docx")]
        answer = httpx.post(f"{served.url}/api/check", files=upload(report), timeout=TIMEOUT)
        assert answer.status_code == 401 and "findings" not in answer.text and "需要令牌" in answer.json()["error"]
        bad = httpx.post(f"{served.url}/api/check", files=upload(report), timeout=TIMEOUT,
                         headers={"authorization": "Bearer wrong"})
        assert bad.status_code == 401
        assert httpx.get(f"{served.url}/api/health", timeout=TIMEOUT).status_code == 401
        page = httpx.get(served.url + "/", timeout=TIMEOUT)
        assert page.status_code == 401 and 'action="/login"' in page.text and "拖到这里" not in page.text
        good = httpx.post(f"{served.url}/api/check", files=upload(report), timeout=TIMEOUT,
                          headers={"authorization": "Bearer s3cret-token"})
        assert good.status_code == 200 and good.json()["files"][0]["findings"]
        with httpx.Client(base_url=served.url, timeout=TIMEOUT) as browser:  # the sign-in form
            assert browser.post("/login", data={"token": "nope"}).status_code == 401
            signed = browser.post("/login", data={"token": "s3cret-token"}, follow_redirects=True)
            assert signed.status_code == 200 and "拖到这里" in signed.text
            assert "s3cret-token" not in str(browser.cookies.get("gklint_token"))
            assert browser.post("/api/check", files=upload(report)).status_code == 200
    finally:
        served.stop()


def test_a_slow_file_stops_at_the_time_limit_and_stalls_nobody(tmp_path):
    slow = tmp_path / "slow.txt"  # a big report: far more than 0.2 s to read and check
    slow.write_text((EXAMPLES.parent / "tests" / "data" / "real" / "pingtan_2022_page.txt").read_text(
        encoding="utf-8") * 60, encoding="utf-8")
    served = Served(tmp_path, "--time-limit", "0.2", "--workers", "1")
    try:
        with ThreadPoolExecutor(2) as pool:
            started = time.monotonic()
            slow_answer = pool.submit(_check, served, [("slow.txt", slow)])
            time.sleep(0.1)
            health = httpx.get(f"{served.url}/api/health", timeout=TIMEOUT)
            assert health.status_code == 200 and time.monotonic() - started < 5
            (finding,) = slow_answer.result(timeout=60).json()["files"][0]["findings"]
        assert finding["code"] == "GK001" and "超过 0.2 秒" in finding["message"]
    finally:
        served.stop()


def test_sigterm_stops_it_within_seconds(tmp_path):
    served = Served(tmp_path)
    assert httpx.get(f"{served.url}/api/health", timeout=TIMEOUT).status_code == 200
    start = time.monotonic()
    served.proc.send_signal(signal.SIGTERM)
    assert served.proc.wait(timeout=15) == 0
    assert time.monotonic() - start < 5
    assert "已停止" in served.proc.stderr.read().decode()
    assert served.leftovers() == []


@pytest.mark.slow
def test_twenty_concurrent_uploads(server, tmp_path):
    reports = [EXAMPLES / "report-2022-defects.docx", EXAMPLES / "report-2022.docx",
               DATA / "real" / "pingtan_gaj_2022.html", DATA / "real" / "pingtan_jjf_2023.txt"]
    want = {}
    for p in reports:
        shutil.copy(p, tmp_path / p.name)
        want[p.name] = without_time(cli_json(tmp_path, [p.name]))
    jobs = [reports[i % len(reports)] for i in range(20)]
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda p: _check(server, [(p.name, p)]), jobs))
    for p, answer in zip(jobs, answers):
        assert answer.status_code == 200 and without_time(answer.json()) == want[p.name]
    assert server.leftovers() == []


def test_without_the_serve_extra_it_says_how_to_install(tmp_path):
    code = ("import sys; sys.modules['uvicorn'] = None\n"
            "from gklint.cli import main; sys.exit(main(['serve', '--no-browser']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30, cwd=tmp_path)
    assert out.returncode == 2 and "pip install 'gklint[serve]'" in out.stderr.decode()


def test_a_long_temporary_folder_still_checks(tmp_path):
    """The fork server's socket lives in TMPDIR; past the socket path limit every check answered 500."""
    deep = tmp_path / ("很长的临时目录" * 6)
    deep.mkdir()
    served = Served(deep)
    try:
        answer = httpx.post(f"{served.url}/api/check", files=upload([("r.docx", EXAMPLES / "report-2022-defects.docx")]),
                            timeout=TIMEOUT)
        assert answer.status_code == 200 and answer.json()["files"][0]["findings"]
    finally:
        served.stop()


def test_fix_gives_the_cli_copy(tmp_path):
    """POST /api/fix: the same tracked changes as `gklint fix`, each by gklint, in a copy that opens."""
    import docx

    src = EXAMPLES / "report-2022-fixable.docx"
    served = Served(tmp_path)
    try:
        answer = httpx.post(f"{served.url}/api/fix", files=upload([("报告.docx", src)]), timeout=TIMEOUT)
    finally:
        served.stop()
    assert answer.status_code == 200 and "gklint-fix.docx" in answer.headers["content-disposition"]
    (tmp_path / "served.docx").write_bytes(answer.content)
    cli = tmp_path / "cli.docx"
    done = subprocess.run([sys.executable, "-m", "gklint", "fix", "-o", str(cli), str(src)], capture_output=True,
                          timeout=120)
    assert done.returncode in (0, 1), done.stderr.decode()

    def revisions(path):
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode()
        return sorted(re.findall(r"<w:(ins|del) [^>]*w:author=\"gklint\"", xml))

    assert revisions(tmp_path / "served.docx") == revisions(cli) and revisions(cli)
    assert int(answer.headers["x-gklint-revisions"]) == 3
    docx.Document(str(tmp_path / "served.docx"))  # opens
