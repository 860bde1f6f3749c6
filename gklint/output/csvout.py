"""CSV: one row per finding, for a spreadsheet. UTF-8 with a BOM, because Excel reads a BOM-less file in the
local code page and garbles the Chinese. A file without findings has no row; an unreadable one has its GK001."""

from __future__ import annotations

import csv
import io
import re

from gklint.findings import describe
from gklint.output.summary import file_summary
from gklint.output.text import clean

HEADER = ["file", "agency", "year", "code", "severity", "message", "location", "expected", "found"]


def _cell(value) -> str:
    text = clean("" if value is None else str(value))
    # a cell starting with = + - @ is a formula to Excel (CSV injection): a leading quote keeps it text;
    # a negative number stays a number
    formula = text[:1] in ("=", "+", "@") or (text[:1] == "-" and not re.fullmatch(r"-\d+(\.\d+)?", text))
    return "'" + text if formula else text


def to_csv(results) -> str:
    buf = io.StringIO()
    # QUOTE_MINIMAL; "\n" ends a row because the output file is opened in text mode, which makes it "\r\n" on
    # Windows (a "\r\n" terminator would become "\r\r\n" there); Excel reads either
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(HEADER)
    for r in results:
        s = file_summary(r)
        for f in r.findings:
            out.writerow([_cell(x) for x in (r.path, s["agency"], s["year"], f.code, f.severity, f.message,
                                              describe(f.location), f.expected, f.found)])
    return "\ufeff" + buf.getvalue()


def csv_output(results, run) -> str:
    return to_csv(results)
