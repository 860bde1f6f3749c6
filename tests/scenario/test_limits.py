"""Hostile sizes (issue 25): reading and checking stay close to linear; beyond the documented limits a file
gets one GK007 naming the limit and the size found, never a hang; `--timeout` reports a slow file as not
checked, with --jobs 1 and with workers. Larger sizes are measured in benchmarks/sizes.py."""

import subprocess
import sys
import time

import hostile
import pytest

from gklint.cli import main
from gklint.document import MAX_TABLE_ROWS
from gklint.policy.config import ConfigError, Settings, parse
from gklint.readers.docx.package import MAX_ELEMENTS
from gklint.run.engine import check_file
from gklint.run.runner import run


def seconds(path, repeat: int = 2) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        check_file(str(path))
        best = min(best, time.perf_counter() - start)
    return best


def only_gk007(result, *words):
    assert [f.code for f in result.findings] == ["GK007"], result.findings
    message = result.findings[0].message
    for w in words:
        assert w in message, message
    assert result.unreadable
    return message


def test_a_long_line_is_checked_in_linear_time(tmp_path):
    # every GK501 match used to scan the rest of its paragraph for the end of the sentence: quadratic
    small = hostile.long_line_text(tmp_path / "small.txt", 100_000)
    large = hostile.long_line_text(tmp_path / "large.txt", 400_000)
    assert check_file(str(large)).findings == []  # the sentence agrees with the tables: nothing to report
    ratio = seconds(large) / seconds(small)
    assert ratio < 7, ratio  # 4× the text; quadratic was ~16×


def test_a_flattened_page_is_checked_in_linear_time(tmp_path):
    small = hostile.flat_text(tmp_path / "small.txt", 100_000)
    large = hostile.flat_text(tmp_path / "large.txt", 400_000)
    ratio = seconds(large) / seconds(small)
    assert ratio < 7, ratio


def test_a_page_whose_main_content_is_one_long_table_is_still_a_report(tmp_path):
    # the "main content" search descended into the table that holds most of the page's text and lost the rest
    page = hostile.many_rows_html(tmp_path / "page.html", 1000)
    result = check_file(str(page))
    assert not result.skipped and result.report_year == 2022
    assert "GK101" not in {f.code for f in result.findings}


@pytest.mark.parametrize("build", [hostile.many_rows_text, hostile.many_rows_html])
def test_rows_beyond_the_limit_end_in_one_finding(tmp_path, build):
    path = build(tmp_path / ("rows" + (".txt" if build is hostile.many_rows_text else ".html")), MAX_TABLE_ROWS + 5)
    start = time.perf_counter()
    result = check_file(str(path))
    only_gk007(result, "行", str(MAX_TABLE_ROWS), "上限")
    assert time.perf_counter() - start < 10


def test_text_beyond_20_mb_names_its_size(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(("年度报告\n" * 2_000_000).encode("utf-8"))  # 26 000 000 bytes, 24.8 MiB
    message = only_gk007(check_file(str(path)), "20 MB", "24.8 MB")
    assert "文本文件" in message


def test_docx_with_too_many_elements_is_refused_before_docx2python(tmp_path):
    path = hostile.many_rows_docx(tmp_path / "rows.docx", 400)  # ~116 000 elements: a minute of docx2python
    start = time.perf_counter()
    message = only_gk007(check_file(str(path)), str(MAX_ELEMENTS), "XML 元素", "表格行")
    assert time.perf_counter() - start < 5, message


def tiny_pdf(path, pages: int):
    """A valid PDF of `pages` empty pages, written by hand (no office suite needed)."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [" + " ".join(f"{3 + i} 0 R" for i in range(pages)) + f"] /Count {pages} >>"]
    objs += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    out, offsets = b"%PDF-1.4\n", []
    for k, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)
    return path


def test_a_pdf_beyond_200_pages_says_the_limit(tmp_path):
    only_gk007(check_file(str(tiny_pdf(tmp_path / "long.pdf", 300))), "300 页", "200 页")


def test_gk007_cannot_be_ignored():
    from gklint.findings import Finding

    s = parse({"ignore": ["GK0"]}, None)
    assert s.apply([Finding("GK007", "error", "x", {})], "a.txt")


# --- the time limit ---

def test_timeout_setting():
    assert Settings().timeout == 120
    assert parse({"timeout": 30}, None).timeout == 30
    assert parse({"timeout": 0}, None).timeout == 0
    for bad in (-1, "30", True, float("inf")):
        with pytest.raises(ConfigError, match="timeout"):
            parse({"timeout": bad}, None)


def slow_file(tmp_path):
    return hostile.many_rows_text(tmp_path / "slow.txt", 8000)  # a few seconds


@pytest.mark.parametrize("jobs", [1, 2])
def test_timeout_reports_the_file_as_not_checked(tmp_path, jobs):
    slow = slow_file(tmp_path)
    fast = tmp_path / "fast.txt"
    fast.write_text(hostile.base_text(tmp_path), encoding="utf-8")
    start = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "gklint", "check", "--timeout", "0.3", "--jobs", str(jobs),
                        "--output-format", "concise", str(slow), str(fast)],
                       capture_output=True, text=True, timeout=120)
    assert time.perf_counter() - start < 15
    assert p.returncode == 3, p.stderr  # a file not checked: exit 3 (some files could not be read)
    assert "Traceback" not in p.stderr
    lines = p.stdout.splitlines()
    assert lines == [f"{slow}: GK007 [错误] 超出检查上限，未检查：检查时间超过 0.3 秒（--timeout 或配置项 timeout）"]


def test_timeout_from_the_config_file_and_never_cached(tmp_path, capsys):
    slow = slow_file(tmp_path)
    (tmp_path / "gklint.toml").write_text("timeout = 0.2\n", encoding="utf-8")
    assert main(["check", "--output-format", "concise", str(slow)]) == 3
    assert "GK007" in capsys.readouterr().out
    (tmp_path / "gklint.toml").write_text("timeout = 0\n", encoding="utf-8")  # no limit: checked, not the cache
    assert main(["check", "--output-format", "concise", str(slow)]) == 0
    assert "GK007" not in capsys.readouterr().out


def test_timeout_in_process_leaves_no_alarm(tmp_path):
    results = run([str(slow_file(tmp_path))], [Settings(cache=False, timeout=0.2)], jobs=1)
    assert [f.code for f in results[0].findings] == ["GK007"] and results[0].timed_out
    import signal

    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None, signal.default_int_handler)
