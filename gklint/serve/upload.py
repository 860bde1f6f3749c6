"""Multipart uploads read as they stream in: file parts go straight to files with generated names in a private
directory, and every limit is enforced on the bytes received so far, so a 1 GB upload is refused after the
first over-limit chunk without being held in memory or written out in full. The uploaded name is only ever a
label; it never becomes (part of) a path."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

MB = 1024 * 1024
FIELD_LIMIT = 64 * 1024  # a non-file field (a config's TOML text at most)
MAX_FIELDS = 16
MAX_HEADERS = 16  # per part
SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")


@dataclass(frozen=True)
class Limits:
    file_size: int = 50 * MB  # bytes per file
    files: int = 100  # files per request
    total: int = 500 * MB  # bytes per request


class UploadError(Exception):
    """Refused upload: `status` (400, 413, 415) and a Chinese message for the user."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Upload:
    directory: str
    files: list[tuple[str, str]] = field(default_factory=list)  # (uploaded name, private path)
    fields: dict[str, str] = field(default_factory=dict)  # non-file fields; a repeated field keeps the last
    file_fields: dict[str, list[int]] = field(default_factory=dict)  # field name -> indexes into files


def stored_name(index: int, uploaded: str) -> str:
    """The private file name: a number and, when it is plain letters and digits, the uploaded suffix (the
    readers choose the format by it)."""
    suffix = os.path.splitext(uploaded)[1]
    return f"{index:04d}{suffix.lower() if SAFE_SUFFIX.fullmatch(suffix) else ''}"


def _mb(n: int) -> str:
    return f"{n / MB:g} MB"


async def receive(request, directory: str, limits: Limits) -> Upload:
    """Parse the multipart body of `request` into `directory` (which the caller creates and removes)."""
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import MultipartParser, parse_options_header

    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or b"boundary" not in params:
        raise UploadError(415, "请求应为 multipart/form-data 上传（字段 file，可重复）")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.total + MB:
        raise UploadError(413, f"上传内容过大：{_mb(int(declared))}，每次最多 {_mb(limits.total)}")
    up = Upload(directory)
    state = {"headers": [], "name": b"", "value": b"", "part": None, "error": None}

    class Part:
        def __init__(self, field_name: str, filename: str | None):
            self.field, self.filename, self.size, self.fh, self.data = field_name, filename, 0, None, bytearray()

    def fail(status: int, message: str):
        if state["error"] is None:
            state["error"] = UploadError(status, message)

    def on_header_field(data, start, end):
        state["name"] += data[start:end]

    def on_header_value(data, start, end):
        state["value"] += data[start:end]

    def on_header_end():
        if len(state["headers"]) < MAX_HEADERS:
            state["headers"].append((state["name"].lower(), state["value"]))
        state["name"], state["value"] = b"", b""

    def on_headers_finished():
        disposition = dict(state["headers"]).get(b"content-disposition", b"")
        _, options = parse_options_header(disposition.decode("latin-1"))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        part = Part(name, None if filename is None else filename.decode("utf-8", "replace"))
        state["headers"], state["part"] = [], part
        if part.filename is not None:
            index = len(up.files)
            if index >= limits.files:
                return fail(413, f"文件过多：每次最多上传 {limits.files} 个文件")
            label = part.filename or f"未命名{index + 1}"
            path = os.path.join(directory, stored_name(index, label))
            part.fh = open(path, "xb")
            up.files.append((label, path))
            up.file_fields.setdefault(name, []).append(index)
        elif len(up.fields) >= MAX_FIELDS:
            fail(400, f"表单字段过多（最多 {MAX_FIELDS} 个）")

    def on_part_data(data, start, end):
        part = state["part"]
        if part is None or state["error"]:
            return
        part.size += end - start
        if part.fh is not None:
            if part.size > limits.file_size:
                return fail(413, f"文件 {part.filename} 过大：超过每个文件 {_mb(limits.file_size)} 的上限")
            part.fh.write(data[start:end])
        elif part.size > FIELD_LIMIT:
            fail(413, f"表单字段 {part.field} 过长（最多 {FIELD_LIMIT // 1024} KB）")
        else:
            part.data += data[start:end]

    def on_part_end():
        part = state["part"]
        if part is not None and part.fh is not None:
            part.fh.close()
        elif part is not None and not state["error"]:
            up.fields[part.field] = part.data.decode("utf-8", "replace")
        state["part"] = None

    callbacks = {"on_header_field": on_header_field, "on_header_value": on_header_value,
                 "on_header_end": on_header_end, "on_headers_finished": on_headers_finished,
                 "on_part_data": on_part_data, "on_part_end": on_part_end}
    parser = MultipartParser(params[b"boundary"], callbacks)
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limits.total + MB:  # the parts' bytes plus room for their headers
                fail(413, f"上传内容过大：每次最多 {_mb(limits.total)}")
            if state["error"] is None:
                try:
                    parser.write(chunk)
                except FormParserError:
                    fail(400, "上传内容不是有效的 multipart/form-data")
            if state["error"] is not None:
                raise state["error"]
        parser.finalize()
    finally:
        part = state["part"]
        if part is not None and part.fh is not None and not part.fh.closed:
            part.fh.close()
    if state["error"] is not None:
        raise state["error"]
    return up
