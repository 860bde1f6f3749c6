import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS / "helpers"))  # docgen, drafts, formats …: the helpers every test folder uses
# a few scenario modules lend their builders to others (test_hostile's damaged packages, test_across's pairs)
sys.path.insert(1, str(TESTS / "scenario"))
DATA = TESTS / "data"
SEEDS = sorted((DATA / "seeds").glob("*.txt"))


def seed(prefix: str) -> Path:
    return next(p for p in SEEDS if p.name.startswith(prefix))


@pytest.fixture(scope="session")
def report_docx(tmp_path_factory) -> Path:
    from docgen import build_docx

    return build_docx(tmp_path_factory.mktemp("docx") / "report.docx")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Each test gets its own result cache, so no test is answered from another's results."""
    monkeypatch.setenv("GKLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
