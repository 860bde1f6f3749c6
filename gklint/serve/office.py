"""The reviewing office's server (`gklint serve --store`): uploads kept as submissions, each paired with the
stored report of the year before, the submissions API (a department sees only its own), the board.

Who may do what is decided by `gklint.serve.app.authorized` (the user of a request); this module only asks
`request.state.user` and answers 404 for another department's submission, so its existence is not revealed."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gklint.serve import page
from gklint.serve.store import Incoming, Store, public
from gklint.serve.upload import MB, Limits, UploadError, receive

STATUS = ("未提交", "有错误", "仅有警告", "通过")
BOARD_HEADER = ["机关", "状态", "应报", "提交科室", "提交时间", "主要问题", "错误", "警告", "提示", "文件", "提交编号"]
EXPECTED_LIMITS = Limits(file_size=MB, files=1, total=MB)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status)


# --- checking with the store ----------------------------------------------------------------------------

def across(store: Store, user, captured: list):
    """The hook gklint.serve.checking.check calls after the run: keep each result's cache form (for the
    store), then compare each report the upload itself did not pair with the stored report of the year before."""

    def hook(results, settings):
        from gklint.run import cache

        captured[:] = [cache.to_data(r) for r in results]
        pair_with_store(store, user, results, settings)

    return hook


def pair_with_store(store: Store, user, results, settings) -> None:
    """Each report not yet compared (no report of the year before in the same upload) is compared with a stored
    one of the same agency for the year before: the same rows gklint.run.pairing would pair, preferring the
    user's own submission, then the latest. One code path: pairs() decides, check_across() compares."""
    from gklint.run.pairing import agency_key, check_across, pairs

    renamed = dict(settings.renamed_agencies)
    for r in results:
        facts = r.facts or {}
        if r.compared or not facts.get("year") or not facts.get("agency"):
            continue
        for row in store.previous_year(agency_key(facts["agency"], renamed), facts["year"], user):
            before = restore(row)
            if before is not None and pairs([r, before], renamed) == [(0, 1)]:
                check_across([r, before], [settings, settings])
                break


def restore(row: dict):
    """The stored FileResult (cache form), named by its uploaded name as the messages show it."""
    from gklint.run import cache

    data = dict(row["result"])
    if data.get("ruleset_path") and not os.path.isfile(data["ruleset_path"]):
        data["ruleset_path"] = None  # gklint moved (reinstalled): the rule set is found again by its name
    return cache.from_data(data, row["file"])


def keep(store: Store, user, named, results, captured, stale, elapsed, settings) -> list[tuple[str, dict | None]]:
    """Store every checked file (unreadable ones too) as a submission of `user`: (id, changes) per file."""
    from gklint.run.pairing import agency_key
    from gklint.serve import checking

    files = json.loads(checking.render("json", results, stale, elapsed))["files"]
    renamed = dict(settings.renamed_agencies)
    incoming = []
    for (name, path), r, data, entry in zip(named, results, captured, files):
        facts = r.facts or {}
        agency = facts.get("agency") or entry.get("agency") or ""
        incoming.append(Incoming(name, path, entry, data, agency_key(agency, renamed) if agency else "",
                                 facts.get("year") or r.report_year))
    return store.add_submissions(user, incoming)


def with_ids(body: str, kept) -> str:
    """The CLI's JSON with each file's submission id and what changed since its last submission."""
    from gklint.output.text import json_safe

    answer = json.loads(body)
    for entry, (sid, changes) in zip(answer["files"], kept):
        entry["submission_id"], entry["changes"] = sid, changes
    return json_safe(json.dumps(answer, ensure_ascii=False, indent=2)) + "\n"


# --- routes ---------------------------------------------------------------------------------------------

def _store(request: Request) -> Store | None:
    return request.app.state.config.store


def _office_only(request: Request) -> Response | None:
    """None when the request may go on: a store, and the office asking."""
    if _store(request) is None:
        return _error(404, "未启用收报：启动服务时加 --store 文件夹")
    if not request.state.user.office:
        return _error(403, "只有政务公开办（办公室令牌）可以查看汇总")
    return None


def _needs_store(route):
    async def wrapped(request: Request) -> Response:
        if _store(request) is None:
            return _error(404, "未启用收报：启动服务时加 --store 文件夹")
        return await route(request)

    return wrapped


@_needs_store
async def api_me(request: Request) -> Response:
    user = request.state.user
    return JSONResponse({"name": user.name, "role": user.role})


@_needs_store
async def api_submissions(request: Request) -> Response:
    rows = await run_in_threadpool(_store(request).submissions, request.state.user)
    return JSONResponse([public(r) for r in rows])


@_needs_store
async def api_submission(request: Request) -> Response:
    row = await run_in_threadpool(_store(request).submission, request.path_params["sid"], request.state.user)
    if row is None:  # absent or another department's: the same answer
        return _error(404, "没有这份提交")
    return JSONResponse(public(row, findings=True))


@_needs_store
async def api_submission_file(request: Request) -> Response:
    from gklint.serve.app import _attachment

    store = _store(request)
    row = await run_in_threadpool(store.submission, request.path_params["sid"], request.state.user, False)
    if row is None:
        return _error(404, "没有这份提交")
    with open(store.file_path(row), "rb") as fh:
        body = fh.read()
    stem, suffix = os.path.splitext(row["file"])
    return Response(body, media_type="application/octet-stream",
                    headers={"Content-Disposition": _attachment(row["file"], suffix if re.fullmatch(
                        r"\.[A-Za-z0-9]{1,10}", suffix) else "")})


@_needs_store
async def api_submission_report(request: Request) -> Response:
    """The submission as `gklint check --output-format html` shows it: the findings as they were answered, what
    the office sends back to the department (a department: its own only; another's: 404)."""
    row = await run_in_threadpool(_store(request).submission, request.path_params["sid"], request.state.user)
    if row is None:
        return _error(404, "没有这份提交")
    return Response(await run_in_threadpool(submission_report, row), media_type="text/html; charset=utf-8")


def submission_report(row: dict) -> str:
    from gklint import output
    from gklint.findings import Finding

    result = restore(row)
    if result is None:  # a stored result this gklint cannot read back: the answer's findings still can be shown
        from gklint.run.engine import FileResult

        result = FileResult(row["file"], agency=row["agency"], report_year=row["year"])
    result.findings = [Finding.from_dict(f) for f in row["findings"].get("findings", [])]
    result.suppressed = []
    return output.render("html", [result], output.Run(0.0))


def board(store: Store, year: int | None) -> tuple[int, list[dict], list[str]]:
    """(year, one row per expected agency and per other agency submitted for that year, missing names)."""
    from gklint.run.pairing import same_agency

    every = store.submissions()
    if not year:  # the latest year submitted; before any submission, last year (reports are due in January)
        from datetime import date

        year = max([r["year"] for r in every if r["year"]] or [date.today().year - 1])
    latest: dict[str, dict] = {}
    for r in every:
        if r["year"] == year and r["agency_key"]:
            latest[r["agency_key"]] = r  # rows come in submission order: the last one wins
    rows, used, missing = [], set(), []
    for e in store.expected():
        key = e["key"] if e["key"] in latest else next(
            (k for k in latest if same_agency(k, e["key"])), None)
        if key is None:
            rows.append(_board_row(e["name"], None, True))
            missing.append(e["name"])
        else:
            used.add(key)
            rows.append(_board_row(e["name"], latest[key], True))
    rows += [_board_row(r["agency"], r, False) for k, r in latest.items() if k not in used]
    return year, rows, missing


def _board_row(name: str, sub: dict | None, expected: bool) -> dict:
    if sub is None:
        return {"agency": name, "expected": expected, "status": STATUS[0], "submitted_at": None, "department": None,
                "codes": [], "counts": {}, "file": None, "submission_id": None}
    counts = sub["counts"]
    status = STATUS[1] if sub["unreadable"] or counts.get("error") else STATUS[2] if counts.get("warning") else STATUS[3]
    from gklint.output.summary import MAIN_CODES, by_frequency

    codes = by_frequency(sub["codes"])[:MAIN_CODES]
    return {"agency": name, "expected": expected, "status": status, "submitted_at": sub["submitted_at"],
            "department": sub["department"], "codes": codes, "counts": counts, "file": sub["file"],
            "submission_id": sub["id"]}


async def _board(request: Request):
    refused = _office_only(request)
    if refused is not None:
        return refused, None
    given = request.query_params.get("year", "")
    if given and (not given.isdigit() or not 1990 <= int(given) <= 2100):
        return _error(400, f"year：{given!r} 不是年度（如 2023）"), None
    return None, await run_in_threadpool(board, _store(request), int(given) if given else None)


async def api_board(request: Request) -> Response:
    refused, got = await _board(request)
    if refused is not None:
        return refused
    year, rows, _ = got
    return JSONResponse({"year": year, "rows": rows, "status": list(STATUS)})


def board_csv(rows: list[dict]) -> str:
    from gklint.output.csvout import _cell

    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(BOARD_HEADER)
    for r in rows:
        c = r["counts"]
        out.writerow([_cell(x) for x in (r["agency"], r["status"], "是" if r["expected"] else "否", r["department"],
                                         r["submitted_at"], " ".join(r["codes"]), c.get("error"), c.get("warning"),
                                         c.get("info"), r["file"], r["submission_id"])])
    return "\ufeff" + buf.getvalue()


async def api_board_csv(request: Request) -> Response:
    refused, got = await _board(request)
    if refused is not None:
        return refused
    year, rows, _ = got
    return Response(board_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=\"board-{year}.csv\"; "
                                                    f"filename*=UTF-8''gklint-{year}-%E6%94%B6%E6%8A%A5.csv"})


async def api_board_xlsx(request: Request) -> Response:
    refused, got = await _board(request)
    if refused is not None:
        return refused
    from gklint.output.xlsx import MissingLibrary, workbook

    year, rows, missing = got
    store = _store(request)

    def files():
        out = []
        for r in rows:
            if r["submission_id"]:
                sub = store.submission(r["submission_id"])
                out.append({**sub["findings"], "submitted_at": sub["submitted_at"], "submission_id": sub["id"]})
        return workbook(out, missing)

    try:
        body = await run_in_threadpool(files)
    except MissingLibrary as exc:
        return _error(501, f"{exc}；或下载 /api/board.csv")
    return Response(body, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=\"board-{year}.xlsx\""})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ROLLUP_TYPES = {"xlsx": XLSX, "docx": DOCX}


def rollup_file(named: list[tuple[str, str, str]], fmt: str, ruleset: str | None) -> tuple[bytes, int, list[dict]]:
    """In a worker: the region totals (as `gklint rollup --output-format FMT`) of the stored files, each read as
    「机关/uploaded name」 so that the workbook and the notes name them as the office knows them; (the file, how
    many reports were summed, the files not summed with the reason)."""
    from gklint.output import rollup_files
    from gklint.run.rollup import sum_files

    directory = tempfile.mkdtemp(prefix="gklint-rollup-")
    try:
        os.chdir(directory)  # a worker process of its own: the paths read are the names shown
        files = []
        for i, (stored, agency, uploaded) in enumerate(named):
            folder, name = _safe_name(agency) or f"{i}", _safe_name(uploaded) or f"{i}.docx"
            os.makedirs(folder, exist_ok=True)
            shutil.copyfile(stored, os.path.join(folder, name))
            files.append(os.path.join(folder, name))
        summed = sum_files(files, lambda _path: ruleset)
        if summed.rollup is None:
            return b"", 0, summed.not_read
        body = rollup_files.as_xlsx(summed.rollup) if fmt == "xlsx" else rollup_files.as_docx(summed.rollup)
        return body, len(summed.rollup.reports), summed.not_read
    finally:
        os.chdir("/")
        shutil.rmtree(directory, ignore_errors=True)


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .")[:100]


async def api_rollup(request: Request) -> Response:
    """GET /api/rollup.xlsx|docx?year=: the region totals of the latest submission of every agency on the board
    (office only), as `gklint rollup` writes them."""
    refused, got = await _board(request)
    if refused is not None:
        return refused
    from gklint.serve import checking
    from gklint.serve.worker import Failed

    fmt = request.path_params["fmt"]
    if fmt not in ROLLUP_TYPES:
        return _error(404, "汇总只能下载为 .xlsx 或 .docx")
    year, rows, _ = got
    store = _store(request)

    def stored():
        subs = [store.submission(r["submission_id"], full=False) for r in rows if r["submission_id"]]
        return [(store.file_path(sub), r["agency"], sub["file"]) for r, sub in zip(
            [r for r in rows if r["submission_id"]], subs)]

    named = await run_in_threadpool(stored)
    if not named:
        return _error(404, f"{year}年度还没有提交的报告，无法汇总")
    try:
        s = checking.settings(checking.Options(), request.app.state.config.server)
    except UploadError as exc:
        return _error(exc.status, exc.message)
    try:
        body, summed, not_read = await run_in_threadpool(request.app.state.pool.call, rollup_file, named, fmt,
                                                         s.ruleset)
    except Failed as exc:
        return _error(422, f"无法汇总（{exc}）")
    if not summed:
        why = "；".join(f"{x['path']}：{x['reason']}" for x in not_read[:5])
        return _error(422, f"{year}年度没有可汇总的报告（{why}）")
    return Response(body, media_type=ROLLUP_TYPES[fmt], headers={
        "Content-Disposition": f"attachment; filename=\"rollup-{year}.{fmt}\"; "
                               f"filename*=UTF-8''gklint-{year}-%E6%B1%87%E6%80%BB.{fmt}",
        "X-Gklint-Reports": str(summed), "X-Gklint-Not-Read": str(len(not_read))})


def parse_expected(text: str) -> list[str]:
    """Agency names from a CSV or a list: the column headed 机关 / 机关名称 / agency when there is one, else the
    first column of every line."""
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        return []
    head = [c.strip().lstrip("\ufeff").lower() for c in rows[0]]
    column = next((head.index(h) for h in ("机关", "机关名称", "agency", "单位", "单位名称") if h in head), None)
    if column is not None:
        rows = rows[1:]
    names = [(r[column] if column is not None and column < len(r) else r[0]).strip() for r in rows]
    return [n for n in names if n and len(n) <= 100]


async def api_expected(request: Request) -> Response:
    """GET: the expected agencies. POST (multipart): field `file` (a CSV or list) and/or `name` (one agency);
    `remove` (a name) takes one off."""
    refused = _office_only(request)
    if refused is not None:
        return refused
    from gklint.run.pairing import agency_key

    store = _store(request)
    if request.method == "POST":
        directory = tempfile.mkdtemp(prefix="gklint-serve-")
        try:
            up = await receive(request, directory, EXPECTED_LIMITS)
            unknown = sorted((set(up.fields) | set(up.file_fields)) - {"file", "name", "remove"})
            if unknown:
                raise UploadError(400, f"未知的表单字段：{'、'.join(unknown)}（可用：file、name、remove）")
            names = [up.fields["name"].strip()] if up.fields.get("name", "").strip() else []
            for _, path in up.files:
                raw = open(path, "rb").read()
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    text = raw.decode("gb18030", "replace")  # a list saved by Excel in the local code page
                names += parse_expected(text)
            added = await run_in_threadpool(store.add_expected, [(n, agency_key(n, {})) for n in names])
            removed = False
            if up.fields.get("remove", "").strip():
                removed = await run_in_threadpool(store.remove_expected, agency_key(up.fields["remove"], {}))
            if not names and not removed:
                raise UploadError(400, "没有机关名称：上传一个 CSV（字段 file）或填写一个名称（字段 name）")
        except UploadError as exc:
            return _error(exc.status, exc.message)
        except ClientDisconnect:
            return Response(status_code=400)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        return JSONResponse({"added": added, "removed": removed,
                             "expected": [e["name"] for e in await run_in_threadpool(store.expected)]})
    return JSONResponse({"expected": [e["name"] for e in await run_in_threadpool(store.expected)]})


async def board_page(request: Request) -> Response:
    if _store(request) is None:
        return Response("未启用收报：启动服务时加 --store 文件夹", 404, media_type="text/plain; charset=utf-8")
    if not request.state.user.office:
        return Response(page.notice("只有政务公开办（办公室令牌）可以查看汇总"), 403, media_type="text/html; charset=utf-8")
    return Response(page.board(), media_type="text/html; charset=utf-8")


ROUTES = [
    Route("/board", board_page),
    Route("/api/me", api_me),
    Route("/api/submissions", api_submissions),
    Route("/api/submissions/{sid}", api_submission),
    Route("/api/submissions/{sid}/file", api_submission_file),
    Route("/api/submissions/{sid}/report", api_submission_report),
    Route("/api/board", api_board),
    Route("/api/board.csv", api_board_csv),
    Route("/api/board.xlsx", api_board_xlsx),
    Route("/api/rollup.{fmt}", api_rollup),
    Route("/api/expected", api_expected, methods=["GET", "POST"]),
]
