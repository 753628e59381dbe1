"""``cimon doctor``'s check of the storage folder: every file the rows name under
``CIMON_STORAGE_DIR`` is there with the bytes its rows say (size and SHA-256)."""

from __future__ import annotations

from cimon.ops import storage as st
from cimon.ops.database import Database
from cimon.ops.findings import Finding, _ok, _problem

NAME = ("存储文件", "stored files")
SHOWN = 10


def check_storage(db: Database | None = None) -> Finding:
    """Hash every referenced file under the storage root and compare it with its rows."""
    db = db or Database.current()
    root = st.root_for(db)
    with db.connect(readonly=True) as conn:
        refs, bad = st.referenced(conn, db.vendor)
    state = st.condition(root, refs)
    if state.ok and not bad:
        total = sum(r.size for r in refs)
        return _ok(
            *NAME,
            f"{len(refs)} 个文件（{total} 字节）齐全，SHA-256 与数据库记录一致，位于 {root}",
            f"{len(refs)} files ({total} bytes) present, every SHA-256 as its rows say, in {root}",
        )
    zh: list[str] = []
    en: list[str] = []
    for ref in state.missing[:SHOWN]:
        zh.append(f"缺失 {ref.path}")
        en.append(f"missing {ref.path}")
    for ref, _size, digest in state.wrong[:SHOWN]:
        zh.append(f"内容不符 {ref.path}（SHA-256 {digest[:12]}…，记录为 {ref.sha256[:12]}…）")
        en.append(
            f"wrong bytes {ref.path} (SHA-256 {digest[:12]}…, the row says {ref.sha256[:12]}…)"
        )
    for table, rid, path in bad[:SHOWN]:
        zh.append(f"{table} #{rid} 的路径无效：{path!r}")
        en.append(f"{table} #{rid} names an invalid path: {path!r}")
    return _problem(
        *NAME,
        f"{root} 中 {len(state.missing)} 个文件缺失、{len(state.wrong)} 个内容不符"
        f"、{len(bad)} 条记录路径无效：" + "；".join(zh),
        f"in {root}, {len(state.missing)} files missing, {len(state.wrong)} with wrong bytes, "
        f"{len(bad)} rows with an invalid path: " + "; ".join(en),
        "确认 CIMON_STORAGE_DIR 指向正确的目录；否则从最近一份备份恢复这些文件"
        "（cimon restore，见 docs/deployment.md）。",
        "check that CIMON_STORAGE_DIR points at the right folder; else restore these files "
        "from the latest backup (cimon restore, see docs/deployment.md).",
    )
