"""Internal errors found by mutation (issue 25) become the right finding: a damaged file, an unreadable
number, a limit reached — never "gklint 内部错误"."""

import zipfile

from conftest import DATA, ROOT

from gklint.numbers import cn_to_int, parse_value
from gklint.run.engine import check_file
from gklint.run.runner import Job, _work

GOOD = ROOT / "examples" / "report-2022.docx"
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def no_internal_error(result):
    assert not any("内部错误" in f.message for f in result.findings), result.findings
    return result


def test_a_flipped_bit_in_a_compressed_part_is_a_damaged_file(tmp_path):
    data = GOOD.read_bytes()
    with zipfile.ZipFile(GOOD) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    messages = set()
    for k in range(0, info.compress_size - 16, info.compress_size // 12):  # the last bytes may be padding
        damaged = bytearray(data)
        damaged[start + k] ^= 0x10
        path = tmp_path / f"flip{k}.docx"
        path.write_bytes(bytes(damaged))
        result = no_internal_error(_work(Job(str(path), None, "auto")))
        assert [f.code for f in result.findings] == ["GK001"], result.findings
        messages.add(result.findings[0].message)
    assert any("已损坏" in m and ("解压" in m or "无法读取" in m) for m in messages), messages


def test_superscript_digits_in_a_flattened_table_and_a_sentence(tmp_path):
    text = (DATA / "real" / "pingtan_2019_page.txt").read_text(encoding="utf-8")
    head, sep, tail = text.partition("（一）予以公开")
    assert sep
    mutated = head + sep + tail[:40].translate(SUPERSCRIPT) + tail[40:]
    mutated = mutated.replace("五、存在的主要问题及改进情况", "五、存在的主要问题及改进情况 全年公开答复²²²件。", 1)
    path = tmp_path / "superscript.txt"
    path.write_text(mutated, encoding="utf-8")
    result = no_internal_error(check_file(str(path)))
    assert result.report_year == 2019 and not result.unreadable


def test_superscript_numbers_are_text_not_crashes():
    assert parse_value("²²²").kind == "number" and parse_value("²²²").number == 222  # NFKC: what Word shows
    assert cn_to_int("²") == 2 and cn_to_int("二〇二三") == 2023 and cn_to_int("x²") is None


def test_a_run_of_a_million_digits_is_neither_an_overflow_nor_a_hang(tmp_path):
    # beyond Decimal's Emax (10**999999) and int()'s 4 300 digits; the "其中" sums regex was quadratic in it
    import time

    text = (DATA / "real" / "pingtan_2019_page.txt").read_text(encoding="utf-8")
    path = tmp_path / "huge.txt"
    path.write_text(text.replace("（一）予以公开7", "（一）予以公开1E+999999 " + "9" * 1_000_001, 1)
                    .replace("全年", "全年公开答复" + "9" * 1_000_001 + "件，其中依申请1件、其他2件，", 1), encoding="utf-8")
    start = time.perf_counter()
    result = no_internal_error(_work(Job(str(path), None, "auto", 60)))
    assert time.perf_counter() - start < 15
    assert result.report_year == 2019
