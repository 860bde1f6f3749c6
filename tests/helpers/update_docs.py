"""For the writers of README.md and docs/: re-run every `$ ` example of the pages named (all pages by default)
as tests/scenario/test_readme.py runs them, and write what each printed into the page in place of what it shows.
Read the diff before committing it: every changed output must be one you can explain.

    .venv/bin/python tests/helpers/update_docs.py [docs/check.md ...]"""

import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "scenario"))
sys.path.insert(0, str(Path(__file__).parent.parent))
from test_readme import COPY_PATH, PAGES, ROOT, _setup, normalise, copy_repo, examples, installed_gklint, user_env  # noqa: E402


def update(page: Path, repo: Path, env: dict) -> int:
    lines = page.read_text(encoding="utf-8").split("\n")
    changed = 0
    results = []
    for ex in examples(page):
        _setup(ex, repo)
        p = subprocess.run(["bash", "-c", ex.command], cwd=repo, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        results.append((ex, p.stdout.decode("utf-8", "replace").replace(str(repo), COPY_PATH)))
    for ex, printed in reversed(results):  # from the end: earlier line numbers stay valid
        argv = shlex.split(ex.command)
        if argv[0] == "cat" and len(argv) == 2:
            continue  # the page's own file content
        start = ex.line  # 0-based index of the first shown line (the command is at ex.line - 1)
        shown = ex.shown.split("\n") if ex.shown else []
        indent = lines[ex.line - 1][: len(lines[ex.line - 1]) - len(lines[ex.line - 1].lstrip())]
        new = [indent + line if line else line for line in printed.rstrip("\n").split("\n")] if printed.strip() else []
        old = lines[start:start + len(shown)]
        keep_blank = old and not old[-1].strip() and len(shown) and not shown[-1].strip()
        if keep_blank:
            new.append("")
        if normalise(ex.shown) != normalise(printed):  # times and paths alone are no change
            lines[start:start + len(shown)] = new
            changed += 1
    page.write_text("\n".join(lines), encoding="utf-8")
    return changed


def main(names: list[str]) -> None:
    pages = [ROOT / n for n in names] if names else PAGES
    for page in pages:
        with tempfile.TemporaryDirectory() as tmp:
            repo = copy_repo(Path(tmp) / "gklint")
            n = update(page, repo, user_env(installed_gklint(), Path(tmp)))
        print(f"{page.relative_to(ROOT)}: {n} example(s) updated")


if __name__ == "__main__":
    main(sys.argv[1:])
