"""--pair-with-repository (the pre-commit hook turns it on): a report named on the command line is compared
with the same agency's report of the year before among the files git tracks, read through the cache and
only for its facts; files whose path names only other years are never read."""

import json
import os
import subprocess

import pytest
from docgen import consistent_data
from test_across import _build, following

from gklint import __version__
from gklint.cli import main

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True, capture_output=True,
                   timeout=60)


def broken_carry_over(data: dict) -> dict:
    """The next year's report whose 上年结转 自然人 is one more than last year's 结转下年度 (its own sums hold)."""
    d = following(data)
    d["t3"]["二"][0] += 1
    d["t3"]["二"][6] += 1
    d["t3"]["一"][0] -= 1
    d["t3"]["一"][6] -= 1
    return d


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("built")
    first = consistent_data()
    return _build(folder, 2022, first), _build(folder, 2023, broken_carry_over(first))


@pytest.fixture
def repo(tmp_path, reports, monkeypatch):
    """A report repository by year: 2022's reports committed, a 2019 file, 2023's report staged."""
    root = tmp_path / "repo"
    (root / "2022").mkdir(parents=True)
    (root / "2023").mkdir()
    (root / "2019").mkdir()
    (root / "2022" / "某市某某局.docx").write_bytes(reports[0].read_bytes())
    (root / "2019" / "某市某某局.docx").write_bytes(b"PK\x03\x04 never read: only other years in its path")
    (root / "2022" / "另一局.docx").write_bytes(b"PK\x03\x04 not read: the file naming the agency pairs first")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "2022")
    (root / "2023" / "某市某某局.docx").write_bytes(reports[1].read_bytes())
    git(root, "add", "-A")
    monkeypatch.chdir(root)
    monkeypatch.setenv("GKLINT_CACHE_DIR", str(tmp_path / "cache"))
    return root


def check(*args, capsys):
    code = main(["check", "--output-format", "json", *args])
    data = json.loads(capsys.readouterr().out)
    return code, {f["path"]: [x["code"] for x in f["findings"]] for f in data["files"]}


def test_a_new_report_is_compared_with_last_years_in_the_repository(repo, tmp_path, capsys):
    code, found = check("2023/某市某某局.docx", capsys=capsys)
    assert (code, found) == (0, {"2023/某市某某局.docx": []})  # alone: nothing to compare with

    code, found = check("--pair-with-repository", "2023/某市某某局.docx", capsys=capsys)
    assert (code, found) == (1, {"2023/某市某某局.docx": ["GK601"]})  # last year's report: its facts only
    main(["check", "--pair-with-repository", "--output-format", "concise", "2023/某市某某局.docx"])
    assert "2022/某市某某局.docx" in capsys.readouterr().out  # the finding names the report compared with
    # read through the cache: the two reports; neither the 2019 file nor another agency's 2022 report
    assert len(list((tmp_path / "cache" / __version__).rglob("*.json"))) == 2


def test_a_repository_without_year_folders_is_searched_for_the_agency(repo, capsys):
    git(repo, "mv", "2022/某市某某局.docx", "某市某某局-上年.docx")  # no year in the path: read, and paired
    code, found = check("--pair-with-repository", "2023/某市某某局.docx", capsys=capsys)
    assert found == {"2023/某市某某局.docx": ["GK601"]}


def test_the_previous_years_report_must_be_tracked(repo, capsys):
    git(repo, "rm", "-q", "--cached", "2022/某市某某局.docx")  # still on disk, no longer in the repository
    code, found = check("--pair-with-repository", "2023/某市某某局.docx", capsys=capsys)
    assert (code, found) == (0, {"2023/某市某某局.docx": []})


def test_outside_a_work_tree_the_option_changes_nothing(tmp_path, reports, capsys):
    code, found = check("--pair-with-repository", "--no-cache", str(reports[1]), capsys=capsys)
    assert code == 0 and list(found.values()) == [[]]
