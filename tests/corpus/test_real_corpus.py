"""Ecosystem check: every real report in tests/data/real gives exactly the findings a person expects."""

import pytest
from ecosystem import ROOT, check, load

EXPECTATIONS = load()


def test_the_corpus_is_complete_and_described():
    files = {p.name for p in ROOT.iterdir() if p.suffix in (".txt", ".md", ".html", ".pdf", ".docx")
             and p.name != "SOURCES.md"}
    listed = {name for name in EXPECTATIONS if "/" not in name}
    assert files == listed, "every corpus file has expectations, every expectation a file"
    sources = "\n".join(p.read_text(encoding="utf-8") for p in ROOT.glob("SOURCES*.md"))
    assert all(name in sources for name in listed), [n for n in listed if n not in sources]
    for name, exp in EXPECTATIONS.items():
        assert exp.get("notes"), f"{name}: say what was verified"
        assert exp.get("layout") in ("pre2019", "gb2019", "gb2021"), name


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_real_report(name):
    o = check(name, EXPECTATIONS[name])
    assert not o.wrong_year, f"{name}: report year {o.year}, expected {EXPECTATIONS[name].get('year')}"
    assert not o.unexpected, f"{name}: false alarms {o.unexpected} (got {o.got})"
    assert not o.missing, f"{name}: defects not found {o.missing} (got {o.got})"
