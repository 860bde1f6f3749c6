"""Startup: rule sets parsed by an earlier run are reused when every file they came from is unchanged
(content-keyed), so a run needs no TOML parser; a broken, stale or foreign entry is only a miss."""

import json
import os
import subprocess
import sys

import pytest

from gklint.ruleset import loader
from gklint.checks import rules_of

PROBE = ("import sys; from gklint.ruleset.loader import load; from gklint.checks import rules_of; "
         "rs = load(sys.argv[1]); rules_of(rs); print(len(rs.raw['rules']), 'tomllib' in sys.modules)")


def _probe(ref: str) -> tuple[int, bool]:
    p = subprocess.run([sys.executable, "-c", PROBE, ref], capture_output=True, text=True, env=os.environ,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    n, parsed = p.stdout.split()
    return int(n), parsed == "True"


def test_a_second_process_needs_no_toml_parser():
    first = _probe("gb2021")
    second = _probe("gb2021")
    assert first == (first[0], True) and second == (first[0], False)


def test_an_edit_anywhere_in_the_extends_chain_is_a_miss(tmp_path):
    parent = tmp_path / "parent.toml"
    child = tmp_path / "child.toml"
    parent.write_text('[ruleset]\nname = "p"\nextends = "gb2021"\n[rules.GK102]\nseverity = "error"\n',
                      encoding="utf-8")
    child.write_text('[ruleset]\nname = "c"\nextends = "parent.toml"\n', encoding="utf-8")
    assert _probe(str(child))[1] and not _probe(str(child))[1]
    parent.write_text(parent.read_text(encoding="utf-8") + '[rules.GK505]\nenabled = false\n', encoding="utf-8")
    loader.load.cache_clear()
    assert _probe(str(child))[1]  # parsed again
    assert loader.load(str(child)).raw["rules"]["GK505"] == {**loader.load("gb2021").raw["rules"]["GK505"],
                                                               "enabled": False}


@pytest.mark.parametrize("garbage", ["{", "[]", '{"sources": [], "raw": {}}', '{"sources": [["/x", ""]], "raw": 1}',
                                     '{"sources": "x", "raw": {}}'])
def test_a_broken_entry_is_a_miss(garbage):
    loader.load.cache_clear()
    good = loader.load("gb2021")
    expected = [r.code for r in rules_of(good)]
    entries = os.listdir(loader.compiled_dir())
    assert entries
    for name in entries:
        with open(os.path.join(loader.compiled_dir(), name), "w", encoding="utf-8") as fh:
            fh.write(garbage)
    loader.load.cache_clear()
    assert [r.code for r in rules_of(loader.load("gb2021"))] == expected


def test_an_entry_for_another_file_is_not_used(tmp_path):
    """Entries are named by a short checksum of the path; a colliding entry names a different file."""
    loader.load.cache_clear()
    rs = loader.load("gb2021")
    entry = loader._entry(loader.Path(rs.path))
    with open(entry, encoding="utf-8") as fh:
        data = json.load(fh)
    data["sources"][0][0] = str(tmp_path / "other.toml")
    data["raw"]["rules"] = {}
    with open(entry, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    loader.load.cache_clear()
    assert loader.load("gb2021").raw["rules"]
