"""Data that becomes a file name, a path or a workbook cell, made harmless (issue #14).

Three rules, each with one function that every part of cimon uses:

* :func:`safe_filename` — every file name cimon builds from data (a department, an expert's
  name, an uploaded file's name) goes through it: no folder separators, no characters Windows
  refuses (``" : | ? * < >``), no control characters, no Windows device names (``CON``,
  ``NUL``, ``COM1`` …), no leading dots, at most :data:`MAX_NAME_BYTES` bytes of UTF-8.
* :func:`inside` — a name a user wrote (an evidence file listed in a self-assessment) is looked
  up only inside the folder that was given: absolute paths, ``..`` and symbolic links that point
  out of the folder are refused, whatever the caller (command line or web).
* :func:`put` / :func:`append` — every workbook cell cimon writes goes through them: text is
  stored as text (``data_type 's'``) even when it starts with ``=``, so a name such as
  ``=cmd|' /C calc'!A0`` stays a name and never becomes a live formula. The text is kept exactly
  (no apostrophe added), so exporting and importing again loses nothing. :func:`defuse` is the
  same rule for CSV files, which have no cell types: an apostrophe goes in front.

This module imports nothing of cimon and no database, so the intake, the reports and the web
platform can all use it.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "MAX_NAME_BYTES",
    "FileTooLarge",
    "append",
    "copy_limited",
    "defuse",
    "display_name",
    "distinct",
    "inside",
    "put",
    "read_limited",
    "safe_filename",
    "safe_relpath",
    "save",
    "seal",
]

#: longest file name cimon writes, in bytes of UTF-8: most file systems allow 255; the rest is
#: left for suffixes added later (``-2``, ``.xlsx``) and for archive tools that add their own
MAX_NAME_BYTES = 200

#: characters no file name may hold: folder separators, what Windows refuses, control characters
_BAD_CHARS = re.compile(r'[\x00-\x1f\x7f"*:<>?|/\\]')
#: names Windows reserves for devices, with or without a suffix (``NUL.xlsx`` is a device too)
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{p}{i}" for p in ("COM", "LPT") for i in "123456789¹²³"]
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_filename(text: object, default: str = "file", *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``text`` as a file name that stays where it is put, on Linux and Windows alike.

    Folder separators, ``" : | ? * < >`` and control characters become ``_`` (so
    ``bad-<i>x</i>.xlsx`` becomes ``bad-_i_x__i_.xlsx``: nothing is cut away); leading dots and
    surrounding spaces are dropped (no hidden files, no ``..``), trailing dots too (Windows drops
    them); a Windows device name (``CON``, ``aux.txt``) gets a ``_`` in front; a name longer than
    ``max_bytes`` bytes of UTF-8 is shortened, keeping its suffix. An empty result is
    ``default`` (itself made safe).
    """
    name = unicodedata.normalize("NFC", str(text if text is not None else ""))
    name = _BAD_CHARS.sub("_", name).strip().lstrip(".").rstrip(". ").strip()
    if not name:
        return "file" if default in ("", "file") else safe_filename(default, max_bytes=max_bytes)
    if name.split(".", 1)[0].strip().upper() in _RESERVED:
        name = "_" + name
    if len(name.encode("utf-8")) > max_bytes:
        stem, dot, suffix = name.rpartition(".")
        if not dot or not stem or len(suffix.encode("utf-8")) > 16:
            stem, suffix = name, ""
        room = max_bytes - len(suffix.encode("utf-8")) - (1 if suffix else 0)
        stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(". ")
        name = f"{stem}.{suffix}" if suffix else stem
    return name


def distinct(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3`` … before its suffix, whichever is not yet in
    ``taken`` (compared without case, as Windows and macOS do); the result is added to
    ``taken``. Two data values that sanitise to the same file name never overwrite each other."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, suffix = name, ""
    candidate, k = name, 1
    while candidate.casefold() in taken:
        k += 1
        candidate = f"{stem}-{k}.{suffix}" if suffix else f"{stem}-{k}"
    taken.add(candidate.casefold())
    return candidate


def safe_relpath(name: str) -> str | None:
    """A relative path a user wrote (``材料/证明:终版.pdf``) with every folder and file name made
    safe by :func:`safe_filename` (``材料/证明_终版.pdf``), or None when it is absolute or climbs
    out (``..``): for writing a user-named file inside a folder, e.g. exported evidence."""
    text = str(name).replace("\\", "/")
    if not text or text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        return None
    parts = [p for p in text.split("/") if p.strip() not in ("", ".")]
    if not parts or any(p.strip() == ".." for p in parts):
        return None
    return "/".join(safe_filename(p) for p in parts)


def display_name(text: object, default: str = "file", max_chars: int = 200) -> str:
    """A name as the user gave it, for showing and for the audit log only (never as a path):
    control characters removed, at most ``max_chars`` characters. Pages escape it when they
    show it."""
    name = _CONTROL.sub("", str(text if text is not None else "")).replace("\t", " ").strip()
    return name[:max_chars] or default


def inside(root: str | Path, name: str) -> Path | None:
    """The file ``name`` names inside the folder ``root``, or None when it would leave it.

    ``name`` may hold sub-folders (``材料/证明.pdf``; ``\\`` counts as ``/``). It is refused when
    it is absolute (``/etc/passwd``, ``C:\\x``), holds a NUL, or resolves (following symbolic
    links) to somewhere outside ``root``: ``../../etc/passwd`` and a link in the folder that
    points to ``/proc/self/environ`` are both outside. Whether the file exists is not checked.
    """
    text = str(name).replace("\\", "/")
    if not text or "\x00" in text or text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        return None
    base = Path(root).resolve()
    try:
        path = (base / text).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a name too long
        return None
    if path != base and base not in path.parents:
        return None
    return path


class FileTooLarge(ValueError):
    """A file or upload is larger than its limit (``size`` read so far, ``limit``)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} > {limit} bytes")
        self.size, self.limit = size, limit


_CHUNK = 1 << 16


def read_limited(path: str | Path, limit: int) -> bytes:
    """The bytes of ``path``, read in chunks; :class:`FileTooLarge` as soon as more than
    ``limit`` bytes have come (a file that grows while read, or ``/dev/zero``, is stopped too)."""
    parts: list[bytes] = []
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise FileTooLarge(size, limit)
            parts.append(chunk)
    return b"".join(parts)


def copy_limited(source: Any, target: str | Path, limit: int) -> int:
    """Write ``source`` to the file ``target`` chunk by chunk and return the size.

    ``source`` is bytes, an uploaded file with ``chunks()`` (Django's) or a binary file object.
    :class:`FileTooLarge` (and no file left behind) when it is larger than ``limit`` bytes.
    """
    chunks: Iterable[bytes]
    if isinstance(source, bytes | bytearray | memoryview):
        chunks = (bytes(source),)
    elif hasattr(source, "chunks"):
        if hasattr(source, "seek"):
            source.seek(0)
        chunks = source.chunks(_CHUNK)
    else:
        stream: BinaryIO = source
        chunks = iter(lambda: stream.read(_CHUNK), b"")
    size = 0
    try:
        with open(target, "xb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise FileTooLarge(size, limit)
                out.write(chunk)
    except FileTooLarge:
        os.unlink(target)
        raise
    return size


# --- workbook cells ------------------------------------------------------------------------------


def put(ws: Any, row: int, column: int, value: Any = None) -> Any:
    """Write ``value`` into the cell (``row``, ``column``) of the openpyxl sheet ``ws`` and return
    the cell: the one way cimon writes a cell. Text stays text even when it looks like a formula
    (``=…``, ``+…``, ``-…``, ``@…``); characters a workbook cannot hold (control characters a
    CSV may carry) become ``\ufffd``; numbers, dates and None are written as they are."""
    cell = ws.cell(row=row, column=column)
    _set(cell, value)
    return cell


def append(ws: Any, values: Iterable[Any]) -> int:
    """Add ``values`` as a new row below the last one of ``ws`` (as openpyxl's ``ws.append``
    does), every cell through :func:`put`; returns the row number."""
    r = ws.max_row + 1 if ws.max_row > 1 or _used(ws) else 1
    for j, value in enumerate(values, start=1):
        put(ws, r, j, value)
    return r


def _used(ws: Any) -> bool:
    return any(c.value is not None for c in next(ws.iter_rows(min_row=1, max_row=1), ()))


def _set(cell: Any, value: Any) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"


def seal(wb: Any) -> int:
    """Turn every formula cell of the openpyxl workbook ``wb`` into text and return how many
    there were. cimon writes no formulas of its own, so a formula cell can only be text that
    reached a sheet without :func:`put`; every writer calls this (through :func:`save`) just
    before saving, the last guard."""
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    n += 1
    return n


def save(wb: Any, target: Any) -> None:
    """:func:`seal` the workbook, then save it to ``target`` (a path or a binary buffer)."""
    seal(wb)
    wb.save(target)


def defuse(text: str) -> str:
    """A CSV cell starting with ``= + - @`` (or a tab or carriage return) would be run as a
    formula by spreadsheet programs: put an apostrophe in front (CSV has no cell types)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
