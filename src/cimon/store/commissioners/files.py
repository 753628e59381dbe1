"""Evidence files of service records, kept under the storage root (``CIMON_STORAGE_DIR``).

A file is stored under a generated name (``commissioners/<2 hex>/<32 hex>.<ext>``): nothing the
sender chose reaches the path. Its size is bounded (``CIMON_MAX_UPLOAD_MB``, 20 MB by default)
and its type is read from its first bytes (JPEG, PNG, WebP, PDF), not from its name.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from django.conf import settings

from cimon.safe import inside
from cimon.store.commissioners.common import CommissionerError

#: (leading bytes, content type, extension); WebP is RIFF....WEBP
_KINDS = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)
#: files one service record may hold
MAX_FILES = 9


def storage_root() -> Path:
    """The folder the files are kept in."""
    configured = str(getattr(settings, "CIMON_STORAGE_DIR", "") or "")
    if configured:
        return Path(configured).expanduser().resolve()
    return default_root(settings.DATABASES["default"])


def default_root(db: dict[str, object]) -> Path:
    """Without ``CIMON_STORAGE_DIR``: beside a SQLite file, else in the working directory."""
    name = str(db.get("NAME", ""))
    if str(db.get("ENGINE", "")).endswith("sqlite3") and "memory" not in name:
        return Path(name).resolve().parent / "cimon-files"
    return Path("cimon-files").resolve()


def max_bytes() -> int:
    return int(getattr(settings, "CIMON_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def sniff(content: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a file from its first bytes, or None when not allowed."""
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp", "webp"
    for magic, ctype, ext in _KINDS:
        if content.startswith(magic):
            return ctype, ext
    return None


def check(content: bytes, sent_name: str) -> tuple[str, str]:
    """The type of an evidence file, or a :class:`CommissionerError` saying what to send."""
    limit = max_bytes()
    if len(content) > limit:
        raise CommissionerError(
            f"文件“{sent_name}”有 {len(content) // 1024 // 1024} MB，超过 {limit // 1024 // 1024} MB "
            "的上限：请压缩照片后再上传。",
            f"The file '{sent_name}' is larger than {limit // 1024 // 1024} MB: shrink the photo "
            "and upload it again.",
        )
    if not content:
        raise CommissionerError(f"文件“{sent_name}”是空的。", f"The file '{sent_name}' is empty.")
    kind = sniff(content)
    if kind is None:
        raise CommissionerError(
            f"文件“{sent_name}”不是 JPEG、PNG、WebP 照片或 PDF：请上传照片或 PDF 文件。",
            f"The file '{sent_name}' is not a JPEG, PNG or WebP photo or a PDF: upload a photo "
            "or a PDF.",
        )
    return kind


def store(content: bytes, ext: str) -> tuple[str, str]:
    """Write ``content`` under a generated name; (relative path, SHA-256)."""
    digest = hashlib.sha256(content).hexdigest()
    token = secrets.token_hex(16)
    rel = f"commissioners/{token[:2]}/{token}.{ext}"
    root = storage_root()
    path = inside(root, rel)
    assert path is not None, "a generated name stays inside the root"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with open(tmp, "xb") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return rel, digest


def read(rel: str) -> bytes:
    """The bytes of a stored file (its relative path as the row keeps it)."""
    path = inside(storage_root(), rel)
    if path is None:
        raise CommissionerError(f"文件路径无效：{rel}", f"Invalid stored path: {rel}")
    return path.read_bytes()
