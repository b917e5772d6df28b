"""OpenAPI 3 fragment for ``GET /api/search`` (merged into the project's schema by the API)."""

from __future__ import annotations

from typing import Any

_FACET_PARAMS = [
    ("agency", "发布机构 id（可重复，任一匹配）"),
    ("category", "主题分类 id（可重复）"),
    ("year", "发布年份（可重复）"),
    ("genre", "体裁代码，如 NOTICE（可重复）"),
    ("validity", "有效性代码：IN_FORCE / AMENDED / REPEALED / EXPIRED（可重复）"),
]

_FACET_VALUE = {
    "type": "object",
    "properties": {
        "value": {"type": "string"},
        "label": {"type": "string"},
        "count": {"type": "integer"},
        "selected": {"type": "boolean"},
    },
}

OPENAPI: dict[str, Any] = {
    "paths": {
        "/api/search": {
            "get": {
                "operationId": "searchCatalog",
                "summary": "检索主动公开的政府信息",
                "description": (
                    "按相关度排序（标题 > 主题词 > 内容概述 > 正文 > 附件文字），"
                    "文号、索引号精确匹配的条目排在最前。返回精确命中数、分面计数和高亮摘要"
                    "（摘要为已转义的 HTML，只含 <mark> 标签）。"
                ),
                "tags": ["search"],
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "schema": {"type": "string", "maxLength": 200},
                        "description": "检索词；可以是文号（任意常见写法）或索引号",
                    },
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {
                        "name": "per_page",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 20},
                    },
                    {
                        "name": "recent",
                        "in": "query",
                        "schema": {"type": "boolean"},
                        "description": "近期优先：较新的条目获得加权",
                    },
                    *[
                        {
                            "name": name,
                            "in": "query",
                            "schema": {"type": "array", "items": {"type": "string"}},
                            "style": "form",
                            "explode": True,
                            "description": text,
                        }
                        for name, text in _FACET_PARAMS
                    ],
                ],
                "responses": {
                    "200": {
                        "description": "一页检索结果",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/SearchResults"}
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "SearchHit": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "title": {"type": "string"},
                    "title_html": {"type": "string", "description": "已转义，仅含 <mark>"},
                    "snippet_html": {"type": "string", "description": "已转义，仅含 <mark>"},
                    "date": {"type": "string", "format": "date", "nullable": True},
                    "score": {"type": "number"},
                    "url": {"type": "string"},
                    "agency": {"type": "string"},
                    "doc_number": {"type": "string"},
                    "index_number": {"type": "string"},
                    "genre": {"type": "string"},
                    "validity": {"type": "string"},
                    "category": {"type": "string"},
                },
            },
            "SearchResults": {
                "type": "object",
                "properties": {
                    "query": {"type": "string"},
                    "total": {"type": "integer", "description": "精确命中数"},
                    "page": {"type": "integer"},
                    "per_page": {"type": "integer"},
                    "pages": {"type": "integer"},
                    "relaxed": {
                        "type": "boolean",
                        "description": "没有同时包含全部检索词的结果时为 true（结果包含部分检索词）",
                    },
                    "results": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/SearchHit"},
                    },
                    "facets": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": _FACET_VALUE},
                    },
                    "suggestions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "text": {"type": "string"},
                                "count": {"type": "integer"},
                                "without_filters": {"type": "boolean"},
                            },
                        },
                    },
                },
            },
        }
    },
}
