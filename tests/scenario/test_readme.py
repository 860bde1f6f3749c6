"""The documentation as a user follows it: README.md and docs/*.md.

Every `$ command` line of a fenced block is run, page by page in document order, in a fresh copy of the repository
(cwd = the copy's root, the result cache private), and what it prints — stdout and stderr merged as a terminal
shows them, no colour, 100 columns, no tty — is compared literally with the lines that follow it in the block, up
to the next `$ ` line or the end of the block. Normalised on both sides, and nothing else: elapsed times, the
copy's absolute path (written /path/to/gklint in the pages), the version string, trailing spaces and blank lines,
the CSV's byte-order mark. A gklint command's exit code must be the one its shown output implies.

Conventions of the pages (see docs/development.md):
- commands other than gklint (mkdir, cp, sed, head, cat) are the setup a reader types too: run and compared alike;
- `$ cat FILE` of a file the copy does not have yet creates FILE with the lines shown, then runs as any command:
  that is how a page sets up a configuration file, visibly;
- an example that is not to be run is written without the `$ ` prompt. Every `$ gklint` on a page must run: the
  test counts them.

The fast tests run the pages with the gklint of the environment running pytest (its scripts directory first on
PATH). The slow test follows the README's two install commands in a fresh copy, in both orders, and then runs
every page with the gklint that install made."""

import difflib
import os
import re
import shlex
import shutil
import subprocess
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
GENERATED = {"docs/rules.md"}  # tested by tests/unit/checks/test_registry.py; kept as generated
FENCE = re.compile(r"^( *)```(\w*)[^\n]*\n(.*?)^\1```[ \t]*$", re.S | re.M)
PROMPT = re.compile(r"^\$ (?=\S)")
CODE = re.compile(r"\bGK\d{3}\b")
COPY_PATH = "/path/to/gklint"  # how the pages write the absolute path of the reader's copy
TIMEOUT = 120  # seconds, for one documented command


def rel(page: Path) -> str:
    return page.relative_to(ROOT).as_posix() if page.is_relative_to(ROOT) else page.name


@dataclass
class Example:
    page: str
    line: int  # of the command, 1-based, in the page
    command: str  # without the prompt
    shown: str  # the output the page shows

    def where(self) -> str:
        return f"{self.page}:{self.line}: $ {self.command}"


def fenced_blocks(text: str) -> list[tuple[int, str, list[str]]]:
    """(line number of the first line inside, language, lines without the fence's own indentation)."""
    out = []
    for m in FENCE.finditer(text):
        indent = len(m[1])
        lines = [line[indent:] if not line[:indent].strip() else line for line in m[3].split("\n")[:-1]]
        out.append((text.count("\n", 0, m.start(3)) + 1, m[2], lines))
    return out


def examples(page: Path) -> list[Example]:
    out = []
    for first, _, lines in fenced_blocks(page.read_text(encoding="utf-8")):
        for i, line in enumerate(lines):
            if PROMPT.match(line):
                shown = []
                for nxt in lines[i + 1:]:
                    if PROMPT.match(nxt):
                        break
                    shown.append(nxt)
                out.append(Example(rel(page), first + i, line[2:], "\n".join(shown)))
    return out


def install_commands() -> list[str]:
    """The two commands at the top of the README (its first two sh blocks)."""
    cmds = [lines[0] for _, lang, lines in fenced_blocks(README.read_text(encoding="utf-8")) if lang == "sh"][:2]
    assert len(cmds) == 2 and all("python3 -m venv .venv" in c for c in cmds)
    return cmds


def normalise(text: str) -> str:
    """What may differ between two runs of the same command, and nothing else."""
    text = text.replace("\r\n", "\n").replace("\ufeff", "")  # the CSV's byte-order mark: a terminal shows nothing
    text = re.sub(r"用时 \d+(?:\.\d+)? 秒", "用时 0.00 秒", text)  # elapsed time in the summary line
    text = re.sub(r'\btime="\d+(?:\.\d+)?"', 'time="0.000"', text)  # elapsed time in JUnit XML
    text = re.sub(r'"seconds": \d+(?:\.\d+)?', '"seconds": 0.0', text)  # elapsed time in JSON
    text = re.sub(r"\bgklint \d+\.\d+\.\d+\S*", "gklint 0.0.0", text)  # the version string
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def expected_status(command: str, shown: str) -> int:
    """The exit code the shown output implies. A pipeline's status is its last command's (head, grep): 0."""
    if "|" in command:
        return 0
    argv = shlex.split(command)
    if argv[0] != "gklint":
        return 0
    if argv[1] == "check":
        if {"--write-baseline", "--exit-zero", "--show-settings"} & set(argv):
            return 0
        summary = re.search(r"^检查了.*?(\d+) 个错误，(\d+) 个警告.*", shown, re.M)
        if summary and "无法读取" in summary[0]:
            return 3
        if not summary and (shown.startswith("gklint: ") or "\ngklint: 错误：" in shown):  # usage or config error
            return 2
        fail_on_warning = "--fail-on" not in argv or argv[argv.index("--fail-on") + 1] == "warning"
        if summary:
            errors, warnings = int(summary[1]), int(summary[2])
            return 1 if errors or (warnings and fail_on_warning) else 0
        failed = r"\[错误\]|::error|<failure|\"severity\": \"error\""
        if fail_on_warning:
            failed += r"|\[警告\]|::warning|\"severity\": \"warning\""
        return 1 if re.search(failed, shown) else 0
    if argv[1] == "fix":  # as ruff: 1 when --diff proposes changes or findings remain
        return 1 if shown.strip() else 0
    if argv[1] == "annotate":
        return 2 if shown.startswith("gklint: ") else 0
    if argv[1] == "ruleset":
        return 1 if re.search(r"^FAIL|^\S+:\d+: ", shown, re.M) else 0
    if argv[1] == "rollup":  # as check: a usage error 2, a file not read 3, a region cell off the sum (GK605) 1
        if shown.startswith("gklint: "):
            return 2
        if re.search(r"个文件未汇总（\d+ 个无法读取）", shown):
            return 3
        return 1 if re.search(r"GK605|区域报告有 \d+ 个单元格与", shown) else 0
    return 0


def copy_repo(dst: Path) -> Path:
    """What a clone has: the files git tracks (and new ones it does not ignore), nothing built or cached."""
    names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True, timeout=60).stdout.decode().split("\0")
    for name in filter(None, names):
        src = ROOT / name
        if src.is_file():
            (dst / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst / name)
    return dst


def user_env(bindir: Path, home: Path) -> dict:
    """A reader's shell: gklint from `bindir`, a terminal without colour, caches of its own."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GKLINT_") and k not in ("VIRTUAL_ENV", "PYTHONPATH", "FORCE_COLOR")}
    env.update({
        "PATH": f"{bindir}{os.pathsep}{env.get('PATH', '')}",
        "NO_COLOR": "1", "COLUMNS": "100",
        # stdout and stderr reach the one pipe in the order they are written, as on a terminal (where stdout is
        # line-buffered); block-buffered, the summary line on stderr would come before the findings
        "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8",
        "LC_ALL": "C",  # `sort` and `ls` order by bytes on every machine (Python still reads and writes UTF-8)
        "GKLINT_CACHE_DIR": str(home / "gklint-cache"),  # the result cache: private to this run
        "XDG_CACHE_HOME": str(home / "user-cache"),  # parsed rule sets: not in the tester's home
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    })
    return env


def _setup(ex: Example, repo: Path) -> None:
    """`$ cat FILE` of a file the copy does not have: the page shows the file; write it."""
    argv = shlex.split(ex.command)
    if argv[0] == "cat" and len(argv) == 2 and not (repo / argv[1]).exists():
        (repo / argv[1]).parent.mkdir(parents=True, exist_ok=True)
        (repo / argv[1]).write_text(ex.shown.rstrip("\n") + "\n", encoding="utf-8")


def run_page(page: Path, repo: Path, env: dict) -> tuple[int, list[str]]:
    """Run the page's commands in order in `repo`: (how many gklint commands ran, the differences found)."""
    ran, problems = 0, []
    for ex in examples(page):
        _setup(ex, repo)
        p = subprocess.run(["bash", "-c", ex.command], cwd=repo, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT)
        printed = p.stdout.decode("utf-8", "replace").replace(str(repo), COPY_PATH)
        if ex.command.startswith("gklint "):
            ran += 1
        if "Traceback" in printed:
            problems.append(f"{ex.where()}\n{printed}")
            continue
        got, want = normalise(printed), normalise(ex.shown)
        if got != want:
            diff = difflib.unified_diff(want.split("\n"), got.split("\n"), "shown in the page", "printed", lineterm="")
            problems.append(f"{ex.where()}\n" + "\n".join(diff))
        status = expected_status(ex.command, ex.shown)
        if p.returncode != status:
            problems.append(f"{ex.where()}\nexit code {p.returncode}, the shown output implies {status}")
    return ran, problems


def prompted_gklint(page: Path) -> int:
    """How many lines of the page start with `$ gklint`, in a block or not: each must be a command that runs."""
    return len(re.findall(r"^[ \t>]*\$ gklint\b", page.read_text(encoding="utf-8"), re.M))


def check_page(page: Path, repo: Path, env: dict) -> int:
    ran, problems = run_page(page, repo, env)
    assert not problems, f"{len(problems)} documented outputs differ from what gklint prints:\n\n" + \
        "\n\n".join(problems)
    assert ran == prompted_gklint(page), f"{rel(page)}: {prompted_gklint(page)} `$ gklint` examples, {ran} ran"
    return ran


def installed_gklint() -> Path:
    bindir = Path(sysconfig.get_path("scripts"))
    if not (bindir / "gklint").exists():
        pytest.fail(f"no gklint in {bindir}: install the project in this environment (pip install -e '.[test]')")
    return bindir


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_documented_examples_print_what_the_page_shows(page, tmp_path):
    repo = copy_repo(tmp_path / "gklint")
    check_page(page, repo, user_env(installed_gklint(), tmp_path))


def test_every_page_but_the_generated_one_has_examples():
    counts = {rel(p): prompted_gklint(p) for p in PAGES}
    assert all(n > 0 for page, n in counts.items() if page not in GENERATED), counts


def test_readme_is_short_and_leads_to_every_page():
    data = README.read_bytes()
    assert len(data) <= 8 * 1024, f"README.md is {len(data)} bytes; move detail to docs/"
    text = data.decode("utf-8")
    linked = set(re.findall(r"\]\((docs/[^)#\s]+)", text))
    assert {rel(p) for p in PAGES[1:]} <= linked, "a docs page missing from the README's table of contents"
    assert text.index("```sh") < text.index("## "), "the two commands come first"


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_page_links_resolve_and_say_who_the_page_is_for(page):
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if not re.match(r"[a-z]+:", target) and not target.startswith("#"):
            assert (page.parent / target.split("#")[0]).exists(), f"{rel(page)}: broken link {target}"
    if page != README and rel(page) not in GENERATED:
        title, blank, who = text.split("\n")[:3]
        assert title.startswith("# ") and not blank and who.startswith("本页写给"), \
            f"{rel(page)} should open with its title and one line saying who it is for"


def test_the_parser_finds_commands_outputs_and_setup(tmp_path):
    """The parts the page tests rely on, on a made-up page (fast, no gklint run)."""
    page = tmp_path / "page.md"
    page.write_text("# t\n\n- item\n\n  ```\n  $ gklint check a.txt\n  a.txt  规则集\n      位置：第1行\n\n"
                    "  $ cat b.toml\n  x = 1\n  ```\n\n```\n$                 for_each 的当前项\n```\n\n"
                    "$ gklint 在块外\n", encoding="utf-8")
    found = examples(page)
    assert [(ex.line, ex.command) for ex in found] == [(6, "gklint check a.txt"), (10, "cat b.toml")]
    assert found[0].shown == "a.txt  规则集\n    位置：第1行\n"  # the fence's indentation removed, the output's kept
    assert prompted_gklint(page) == 2  # the one outside a block counts, and cannot run: the page test fails
    _setup(found[1], tmp_path)
    assert (tmp_path / "b.toml").read_text(encoding="utf-8") == "x = 1\n"
    assert expected_status("gklint check a.txt", found[0].shown) == 0
    assert expected_status("gklint check a", "a:1: GK503 [错误] …\n检查了 1 个文件（1 个有问题）：1 个错误，0 个警告") == 1
    assert expected_status("gklint check a --fail-on error", "a:1: GK402 [警告] …") == 0
    assert expected_status("gklint check 报送/ -o x.html",
                           "检查了 6 个文件（5 个有问题，1 个无法读取）：5 个错误，4 个警告，3 个提示") == 3
    assert expected_status("gklint check d/", "gklint: 配置错误：d/gklint.toml: ignor：未知的配置项") == 2
    assert expected_status("gklint ruleset check bad.toml", "bad.toml:53: rules.SX201.expr: …\nbad.toml: 1 个问题")
    assert expected_status("gklint rules | grep SX", "") == 0
    assert normalise("x\ufeff  \n用时 1.25 秒\ngklint 1.2.3\n\n") == "x\n用时 0.00 秒\ngklint 0.0.0"
    assert install_commands()[0].endswith("gklint check examples/report-2022.docx examples/report-2022-defects.docx")
    assert install_commands()[1].endswith(" && .venv/bin/python -m pytest -q")


def _word_comments(docx: Path) -> list[str]:
    """Each comment as Word's comment pane shows it: [the text it marks] its paragraphs joined by " / "."""
    import xml.etree.ElementTree as ET
    import zipfile

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(docx) as zf:
        comments, body = ET.fromstring(zf.read("word/comments.xml")), ET.fromstring(zf.read("word/document.xml"))
    marked, open_ids = {}, set()
    for el in body.iter():
        if el.tag == w + "commentRangeStart":
            open_ids.add(el.get(w + "id"))
            marked.setdefault(el.get(w + "id"), "")
        elif el.tag == w + "commentRangeEnd":
            open_ids.discard(el.get(w + "id"))
        elif el.tag == w + "t":
            for i in open_ids:
                marked[i] += el.text or ""
    return [f"[{marked.get(c.get(w + 'id'), '')}] " + " / ".join("".join(t.text or "" for t in p.iter(w + "t"))
                                                              for p in c.iter(w + "p"))
            for c in comments.iter(w + "comment")]


def test_the_word_comments_shown_in_word_md_are_the_ones_annotate_writes(tmp_path):
    """docs/word.md shows the comment pane of the annotated example; it is no command output, so compared here."""
    text = (ROOT / "docs" / "word.md").read_text(encoding="utf-8")
    shown = fenced_blocks(text.split("右侧批注栏是", 1)[1])[0][2]
    out = tmp_path / "annotated.docx"
    bindir = installed_gklint()
    subprocess.run([str(bindir / "gklint"), "annotate", str(ROOT / "examples" / "report-2022-defects.docx"),
                    "-o", str(out)], env=user_env(bindir, tmp_path), check=True, capture_output=True, timeout=TIMEOUT)
    assert _word_comments(out) == shown


def _run_install(cmd: str, repo: Path, env: dict, first: bool) -> None:
    if first:  # the first command ends by checking the two example reports: one has four defects, exit 1
        p = subprocess.run(["bash", "-c", cmd], cwd=repo, env=env, capture_output=True, text=True, timeout=1800)
        assert p.returncode == 1, p.stdout + p.stderr
        assert {"GK304", "GK402", "GK503", "GK504"} <= set(CODE.findall(p.stdout)), p.stdout
    else:  # the second runs the test suite: its install part only, or this test would run itself
        install = cmd.split(" && .venv/bin/python -m pytest")[0]
        assert install != cmd, "the README's second command no longer ends with the test run"
        p = subprocess.run(["bash", "-c", install], cwd=repo, env=env, capture_output=True, text=True, timeout=1800)
        assert p.returncode == 0, p.stdout + p.stderr


@pytest.mark.slow
@pytest.mark.parametrize("order", [(0, 1), (1, 0)], ids=["readme-order", "reverse-order"])
def test_readme_walk_through(tmp_path, order):
    """A new user's install (either order: the second reinstalls gklint, editable or not, over the first's), then
    every page run with it, each in a copy of its own."""
    repo = copy_repo(tmp_path / "gklint")
    env = {k: v for k, v in user_env(repo / ".venv" / "bin", tmp_path).items() if k != "GKLINT_CACHE_DIR"}
    for i in order:  # the first command's cache where a user has it: ./.gklint_cache
        _run_install(install_commands()[i], repo, env, first=i == 0)
    ran = 0
    for n, page in enumerate(PAGES):
        copy = copy_repo(tmp_path / f"page{n}" / "gklint")
        ran += check_page(page, copy, user_env(repo / ".venv" / "bin", tmp_path / f"page{n}"))
    assert ran >= 30, f"only {ran} documented examples ran"
