"""A small seeded subset of the bounded mutation run (benchmarks/mutate.py, issue 25): no internal error,
no traceback, no case over the time limit, every annotated copy opens with python-docx and docx2python."""

import importlib.util

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_seeded_mutation_subset():
    spec = importlib.util.spec_from_file_location("mutate", ROOT / "benchmarks" / "mutate.py")
    mutate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mutate)
    summary = mutate.mutation_run(cases=80, seed=2025)
    assert summary["failures"] == [], summary["failures"]
    assert summary["cases"] == 80 and sum(summary["mutations"].values()) == 80
    assert summary["findings_by_code"].get("GK001", 0) > 0  # damaged inputs were among them, and said so
