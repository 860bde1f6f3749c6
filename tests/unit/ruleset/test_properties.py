"""Property-based tests: no exception escapes the number parser, the text reader or the expression language."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS

from gklint import checks
from gklint.document import ReadError
from gklint.ruleset.expr import ExprError, parse
from gklint.numbers import cn_to_int, find_dates, looks_like_value, parse_value
from gklint.readers.text import read_text
from gklint.report.bind import bind
from gklint.ruleset.loader import for_year

# text that looks like reports: CJK numerals, digits, units, punctuation, table separators, controls
REPORTISH = st.text(alphabet=st.one_of(st.sampled_from(list(
    "0123456789０１２３４５６７８９一二三四五六七八九十百千万零〇两年月日至止件条个元万亿%-+−—.,，、。；:：/（）()"
    "本年新收上年结转总计自然人维持纠正其他XX□ \t\n\u3000\r\x00\x1b\u202e|")), st.characters(blacklist_categories=("Cs",))), max_size=300)
settings.register_profile("gklint", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("gklint")


@given(st.one_of(REPORTISH, st.text(max_size=200)))
def test_number_parser_total(text):
    v = parse_value(text)
    assert v.kind in ("number", "blank", "placeholder", "text")
    assert (v.number is not None) == (v.kind == "number")
    if v.number is not None:
        assert isinstance(v.number, Decimal)
    looks_like_value(text)
    n = cn_to_int(text)
    assert n is None or isinstance(n, int)
    for date, start, end in find_dates(text):
        assert 0 <= start <= end <= len(text)


SEED_LINES = sorted({line for p in SEEDS for line in p.read_text(encoding="utf-8").splitlines() if line.strip()})
# real report lines in random order and number, some mangled: headings, table rows and dates out of place
SHUFFLED = st.lists(st.one_of(st.sampled_from(SEED_LINES), REPORTISH), max_size=80).map(
    lambda lines: "\n".join(lines).encode("utf-8"))


@given(st.one_of(SHUFFLED, st.binary(max_size=4000), REPORTISH.map(lambda s: s.encode("utf-8")),
                 REPORTISH.map(lambda s: s.encode("gb18030", "replace")),
                 REPORTISH.map(lambda s: s.encode("utf-16"))))
@settings(max_examples=300)
def test_text_reader_and_binding_total(data):
    """Any bytes: a Document (then binding and every rule run) or a ReadError — nothing else."""
    try:
        doc = read_text("fuzz.txt", data)
    except ReadError as exc:
        assert str(exc)
        return
    report = bind(doc)
    rs = for_year(report.year)
    for f in checks.run(report, rs, checks.Context(rs)):
        assert f.code.startswith("GK") and f.message


EXPR_TOKENS = st.sampled_from(['T("一", "$")', 'T("(七)", "总计")', 'sum(T(#leaf, "$"))', "+", "-", "==", "<=",
                               ">=", "<", ">", "!=", "(", ")", ",", "1", "0.5", "$", '"', "#", "__import__('os')",
                               "eval", "lambda", ";", "T", "sum", " "])


@given(st.one_of(st.text(max_size=120), st.lists(EXPR_TOKENS, max_size=12).map("".join)))
def test_expression_parser_total(text):
    try:
        expr = parse(text)
    except ExprError as exc:
        assert str(exc)
        return
    assert expr.op in ("==", "!=", "<=", ">=", "<", ">")
    list(expr.refs())


@pytest.mark.parametrize("text", [
    "__import__('os').system('true') == 1",
    "T('一', '$').__class__ == 1",
    "eval('1') == 1",
    "(lambda: 1)() == 1",
    "[x for x in ()] == 1",
])
def test_expressions_cannot_reach_python(text):
    with pytest.raises(ExprError):
        parse(text)
