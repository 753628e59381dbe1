"""The OpenAPI 3.1 description of the JSON API, written by hand.

Served at ``/api/v1/openapi.json`` and rendered as the page ``/api/``. A test keeps it true:
every URL pattern under ``/api/`` is a path here and every path here is a URL pattern, and
Schemathesis checks the answers against it.
"""

from __future__ import annotations

import copy
from typing import Any

from cimon.tables.render import record_keys
from cimon.tables.specs import AWARDS, RESULTS

VERSION = "1.0.0"

_ERROR = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message_zh", "message_en"],
            "additionalProperties": False,
            "properties": {
                "code": {
                    "type": "string",
                    "enum": [
                        "bad_parameter",
                        "not_authenticated",
                        "forbidden",
                        "not_found",
                        "method_not_allowed",
                    ],
                },
                "message_zh": {"type": "string"},
                "message_en": {"type": "string"},
            },
        }
    },
}

_NUM = {"type": ["number", "null"]}
_INT = {"type": ["integer", "null"]}
_STR = {"type": ["string", "null"]}
_COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}

_COUNTY = {
    "type": "object",
    # the fields of the results table (cimon.tables.specs.RESULTS) and the pillar points
    "required": [*record_keys(RESULTS.shown_in("api")), "pillars"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "description": "GB/T 2260 六位代码 / six-digit code"},
        "name": {
            **_STR,
            "description": "县（市、区）名称（中文，标识）/ county name (Chinese, the identifier)",
        },
        "name_en": {
            **_STR,
            "description": "英文名称（仅供显示；区划表无英文名时为中文名）/ English name, for "
            "display only (the Chinese name where the registry has none)",
        },
        "city": {**_STR, "description": "设区市 / prefecture-level city"},
        "city_en": {
            **_STR,
            "description": "设区市英文名称（仅供显示）/ the city's English name, for display only",
        },
        "score": {**_NUM, "description": "公布得分（两位小数，满分 100）/ published score"},
        "class": {**_STR, "description": "A / B / C"},
        "rank": {**_INT, "description": "全省排名 / rank in the province"},
        "rank_city": {**_INT, "description": "市内排名 / rank in its city"},
        "pillars": {
            "type": ["object", "null"],
            "additionalProperties": _NUM,
            "description": "一级指标得分（键为 pillars[].code）；早于此字段的发布为 null / pillar "
            "points keyed by pillars[].code; null for publications made before they were kept",
        },
        "flags": {"type": "string"},
    },
}

_PILLAR = {
    "type": "object",
    "required": ["code", "name_zh", "name_en", "points"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string"},
        "name_zh": {"type": "string"},
        "name_en": {"type": "string"},
        "points": {"type": "number"},
    },
}

_META_PROPS: dict[str, Any] = {
    "year": {"type": "integer", "description": "评价年度 / evaluation year"},
    "version": {"type": "integer", "minimum": 1, "description": "发布版本 / published version"},
    "current": {"type": "boolean", "description": "是否现行版本 / the current version?"},
    "versions": {
        "type": "array",
        "items": {"type": "integer"},
        "description": "调用者可查看的版本 / versions the caller may read",
    },
    "published_at": {"type": "string", "format": "date-time"},
    "data_year": _INT,
    "framework": {
        "type": "object",
        "required": ["id", "version"],
        "additionalProperties": False,
        "properties": {"id": {"type": "string"}, "version": {"type": "string"}},
    },
    "correction_reason": {"type": "string", "description": "更正理由 / reason of a correction"},
}
_META_REQ = list(_META_PROPS)


def _obj(props: dict[str, Any]) -> dict[str, Any]:
    allp = {**_META_PROPS, **props}
    return {
        "type": "object",
        "required": [*_META_REQ, *props],
        "additionalProperties": False,
        "properties": allp,
    }


_YEARS = {
    "type": "object",
    "required": ["years"],
    "additionalProperties": False,
    "properties": {
        "years": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "year",
                    "version",
                    "published_at",
                    "data_year",
                    "counties",
                    "class_counts",
                ],
                "additionalProperties": False,
                "properties": {
                    "year": {"type": "integer"},
                    "version": {"type": "integer", "minimum": 1},
                    "published_at": {"type": "string", "format": "date-time"},
                    "data_year": _INT,
                    "counties": {"type": "integer", "minimum": 0},
                    "class_counts": _COUNTS,
                },
            },
        }
    },
}

_CITY = {
    "type": "object",
    "required": [
        "city",
        "city_en",
        "counties",
        "mean_score",
        "max_score",
        "min_score",
        "class_counts",
        "best_county",
    ],
    "additionalProperties": False,
    "properties": {
        "city": {
            "type": "string",
            "description": "设区市（中文，标识）/ city (Chinese, the identifier)",
        },
        "city_en": {
            "type": "string",
            "description": "英文名称（仅供显示）/ English name, for display only",
        },
        "counties": {"type": "integer", "minimum": 0},
        "mean_score": _NUM,
        "max_score": _NUM,
        "min_score": _NUM,
        "class_counts": _COUNTS,
        "best_county": {**_STR, "description": "市内排名第一的县代码 / code of the city's best"},
    },
}

_YUAN = {"type": "integer", "description": "整数元 / whole yuan"}
_AWARD = {
    "type": "object",
    # the fields of the awards table (cimon.tables.specs.AWARDS), each described below
    "required": record_keys(AWARDS.shown_in("api")),
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "name_en": {
            "type": "string",
            "description": "英文名称（仅供显示）/ English name, for display only",
        },
        "class_prev": _STR,
        "class": {"type": "string"},
        "transition": {"type": "string", "enum": ["up", "down", "same", "new"]},
        "places": {
            "type": "integer",
            "description": "类内进位数（按规则选项 rank.places 计）/ places gained in class, as the rule set's rank.places counts them",
        },
        "jump": {**_YUAN, "description": "跃升激励（整数元）/ jump money, whole yuan"},
        "rank": {**_YUAN, "description": "进位激励（整数元）/ rank money, whole yuan"},
        "bonus": _YUAN,
        "reduction": _YUAN,
        "total": {**_YUAN, "description": "合计（整数元）/ total, whole yuan"},
        "explain_zh": {"type": "string"},
        "explain_en": {"type": "string"},
    },
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _err(description: str) -> dict[str, Any]:
    return _json({"$ref": "#/components/schemas/Error"}, description)


_YEAR_PARAM = {
    "name": "year",
    "in": "path",
    "required": True,
    "description": "评价年度 / evaluation year",
    "schema": {"type": "integer", "minimum": 1000, "maximum": 9999},
}
_VERSION_PARAM = {
    "name": "version",
    "in": "query",
    "required": False,
    "description": "发布版本，默认现行版本；旧版本仅管理员可查看 / published version; default "
    "the current one; superseded versions for administrators only",
    "schema": {"type": "integer", "minimum": 1, "maximum": 999999},
}
_CODE_PARAM = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "县（市、区）六位代码 / six-digit county code",
    "schema": {"type": "string", "pattern": "^[0-9]{6}$"},
}


def _query(name: str, zh: str, en: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": f"{zh} / {en}",
        "schema": schema,
    }


_TEXT = {"type": "string", "maxLength": 200}
_LIST_PARAMS = [
    _query("province", "省（全国区划时）", "province (national registry)", _TEXT),
    _query("city", "设区市", "city (设区市)", _TEXT),
    _query("class", "类别", "class", _TEXT),
    _query("q", "搜索：代码开头或名称的一部分", "search: code prefix or part of a name", _TEXT),
    _query(
        "page",
        "第几页（与 per_page 之一给出时分页）",
        "page number (paged when this or per_page is given)",
        {"type": "integer", "minimum": 1, "maximum": 999999},
    ),
    _query(
        "per_page",
        "每页条数，默认 50，最多 1000",
        "rows per page, default 50, at most 1000",
        {"type": "integer", "minimum": 1, "maximum": 9999999},
    ),
]
_PAGING = {
    "type": "object",
    "required": ["page", "per_page", "total", "pages"],
    "additionalProperties": False,
    "properties": {
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 0},
        "total": {"type": "integer", "minimum": 0, "description": "筛选后的条数 / rows kept"},
        "pages": {"type": "integer", "minimum": 1},
    },
}
_FILTERS = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "description": "生效的筛选条件 / the filters applied",
}

_DATA_ERRORS = {
    "400": _err("参数无效 / invalid parameter (the message names it)"),
    "401": _err("未登录 / not logged in"),
    "404": _err("没有已发布的结果，或无权查看该版本 / nothing published, or not yours to see"),
}


def _year_op(op_id: str, summary: str, schema: dict[str, Any], extra: Any = ()) -> dict[str, Any]:
    return {
        "get": {
            "operationId": op_id,
            "summary": summary,
            "tags": ["results"],
            "parameters": [_YEAR_PARAM, *extra, _VERSION_PARAM],
            "responses": {"200": _json(schema, "成功 / OK"), **_DATA_ERRORS},
        }
    }


_SCHEMA: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "县域科技创新监测评价系统 API / County Innovation Monitor API",
        "version": VERSION,
        "description": (
            "只读，仅含已发布的评价结果（冻结版本）。登录后（会话 Cookie）调用；每个有角色的用户可读"
            "各年度现行版本，旧版本仅省级管理员可读；未发布的年度返回 404。金额为整数元。\n\n"
            "Read-only, published (frozen) results only. Call it logged in (the session cookie "
            "of /accounts/login/); every user with a role reads the current version of each "
            "year, superseded versions are for administrators; an unpublished year is 404. "
            "Money in whole yuan."
        ),
    },
    "servers": [{"url": "/"}],
    "components": {
        "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "sessionid"}},
        "schemas": {"Error": _ERROR, "County": _COUNTY, "Pillar": _PILLAR},
    },
    "security": [{"session": []}],
    "paths": {
        "/api/": {
            "get": {
                "operationId": "docs",
                "summary": "本页：接口说明 / this documentation as a page",
                "tags": ["docs"],
                "security": [],
                "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}},
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "OpenAPI 3.1 描述 / this OpenAPI 3.1 description",
                "tags": ["docs"],
                "security": [],
                "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")},
            }
        },
        "/api/v1/years": {
            "get": {
                "operationId": "years",
                "summary": "已发布的年度（现行版本）/ years with published results (current "
                "versions)",
                "tags": ["results"],
                "responses": {
                    "200": _json(_YEARS, "成功 / OK"),
                    "401": _err("未登录 / not logged in"),
                    "403": _err("账户没有角色 / the account has no role"),
                },
            }
        },
        "/api/v1/years/{year}/results": _year_op(
            "results",
            "全部县的得分、类别、排名、市内排名、一级指标得分 / every county: score, class, rank, "
            "rank in city, pillar points",
            _obj(
                {
                    "class_counts": _COUNTS,
                    "pillars": {"type": "array", "items": {"$ref": "#/components/schemas/Pillar"}},
                    "filters": _FILTERS,
                    "paging": _PAGING,
                    "results": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/County"},
                    },
                }
            ),
            _LIST_PARAMS,
        ),
        "/api/v1/years/{year}/counties/{code}": _year_op(
            "county",
            "一个县的结果 / one county's result",
            _obj(
                {
                    "pillars": {"type": "array", "items": {"$ref": "#/components/schemas/Pillar"}},
                    "county": {"$ref": "#/components/schemas/County"},
                }
            ),
            (_CODE_PARAM,),
        ),
        "/api/v1/years/{year}/incentives": _year_op(
            "incentives",
            "激励资金（整数元，与本版发布时上一年度的现行版本比较，此后不变）/ incentive money "
            "(whole yuan, against the version of the year before that was current when this "
            "version was published; frozen)",
            _obj(
                {
                    "previous": {
                        "type": ["object", "null"],
                        "required": ["year", "version", "current"],
                        "additionalProperties": False,
                        "properties": {
                            "year": {"type": "integer"},
                            "version": {"type": "integer"},
                            "current": {"type": "boolean"},
                        },
                    },
                    "rules": {
                        "type": "object",
                        "description": "The incentive rule set this version was published "
                        "with, frozen with it: later changes of the platform's rule set do not "
                        "change its amounts.",
                        "required": [
                            "id",
                            "version",
                            "places",
                            "hash",
                            "frozen",
                            "note_zh",
                            "note_en",
                        ],
                        "additionalProperties": False,
                        "properties": {
                            "id": {"type": "string"},
                            "version": {"type": "string"},
                            "places": {"enum": ["overtaken", "literal"]},
                            "hash": {"type": "string"},
                            "frozen": {"const": True},
                            "note_zh": {"type": "string"},
                            "note_en": {"type": "string"},
                        },
                    },
                    "currency": {"const": "CNY"},
                    "total": _YUAN,
                    "awards": {"type": "array", "items": _AWARD},
                }
            ),
        ),
        "/api/v1/years/{year}/cities": _year_op(
            "cities",
            "设区市汇总 / per city (设区市) summary",
            _obj({"cities": {"type": "array", "items": _CITY}}),
        ),
    },
}


def openapi() -> dict[str, Any]:
    """A fresh copy of the OpenAPI 3.1 description (callers may change it)."""
    return copy.deepcopy(_SCHEMA)


def endpoints() -> list[dict[str, str]]:
    """(method, path, summary, operationId) of every operation, for the documentation page."""
    out = []
    for path, ops in _SCHEMA["paths"].items():
        for method, op in ops.items():
            params = ", ".join(f"{p['name']} ({p['in']})" for p in op.get("parameters", []))
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op["summary"],
                    "id": op["operationId"],
                    "params": params,
                    "statuses": ", ".join(op["responses"]),
                }
            )
    return out
