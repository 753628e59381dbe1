"""Structured 创新管理 evidence (issue #16 item 4): items a county submits, scored by experts
against a versioned scoring guide (评分细则). See ``docs/evidence.md``."""
