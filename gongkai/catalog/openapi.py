"""OpenAPI 3 fragment of the catalogue's read API (merged into /api/openapi.json elsewhere)."""

from __future__ import annotations

from typing import Any

_FILTERS = [
    {"name": "agency", "in": "query", "schema": {"type": "integer"}, "description": "发布机构 id"},
    {"name": "category", "in": "query", "schema": {"type": "integer"}, "description": "主题分类 id（含下级分类）"},
    {"name": "year", "in": "query", "schema": {"type": "integer"}, "description": "发布年度"},
    {"name": "genre", "in": "query", "schema": {"type": "string"}, "description": "体裁代码，如 NOTICE"},
    {"name": "validity", "in": "query", "schema": {"type": "string", "enum": ["IN_FORCE", "AMENDED", "REPEALED", "EXPIRED"]}},
    {"name": "item", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 15}, "description": "第二十条第几项"},
    {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "标题或文号包含的文字"},
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
]  # fmt: skip

ITEM_SUMMARY: dict[str, Any] = {
    "type": "object",
    "required": ["id", "index_number", "title", "agency", "published_on", "url"],
    "properties": {
        "id": {"type": "integer"},
        "index_number": {"type": "string", "description": "索引号", "example": "007122000/2017-04159"},
        "title": {"type": "string"},
        "doc_number": {"type": "string", "description": "文号（规范写法）", "example": "茂府办函〔2016〕65号"},
        "agency": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        "written_on": {"type": ["string", "null"], "format": "date", "description": "成文日期"},
        "published_on": {"type": ["string", "null"], "format": "date", "description": "发布日期"},
        "genre": {"type": "string"},
        "validity": {"type": "string"},
        "statutory_item": {"type": ["integer", "null"]},
        "category_id": {"type": ["integer", "null"]},
        "url": {"type": "string", "format": "uri"},
    },
}  # fmt: skip

TABLE_TWO: dict[str, Any] = {
    "type": "object",
    "description": "年度报告表二（主动公开政府信息情况）；标签与国办格式一致",
    "properties": {
        "layout": {"type": "string", "enum": ["2021", "2019"]},
        "year": {"type": "integer"},
        "agency_id": {"type": "integer"},
        "scope": {"type": "string", "enum": ["own", "subtree"]},
        "agency_count": {"type": "integer"},
        "blocks": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "key": {"type": "string", "example": "art20_1"},
                    "caption": {"type": "string", "example": "第二十条第（一）项"},
                    "columns": {"type": "array", "items": {"type": "object", "properties": {"key": {"type": "string"}, "label": {"type": "string"}}}},
                    "rows": {"type": "array", "items": {"type": "object", "properties": {"key": {"type": "string"}, "label": {"type": "string"}, "values": {"type": "object", "additionalProperties": {"type": ["integer", "string"]}}}}},
                },
            },
        },
    },
}  # fmt: skip


def fragment() -> dict[str, Any]:
    """Return the ``paths`` and ``components`` of the catalogue API."""
    ok = "200"
    return {
        "paths": {
            "/api/catalog/items/": {
                "get": {
                    "tags": ["catalog"],
                    "summary": "主动公开目录：已发布条目列表",
                    "parameters": _FILTERS,
                    "responses": {
                        ok: {
                            "description": "一页条目（每页50条）",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "count": {"type": "integer"},
                                            "page": {"type": "integer"},
                                            "pages": {"type": "integer"},
                                            "results": {
                                                "type": "array",
                                                "items": {
                                                    "$ref": "#/components/schemas/CatalogItemSummary"
                                                },
                                            },
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/api/catalog/items/{id}/": {
                "get": {
                    "tags": ["catalog"],
                    "summary": "一个已发布条目（元数据、正文、附件、解读、历史版本）",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        ok: {
                            "description": "条目",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/CatalogItem"}
                                }
                            },
                        },
                        "404": {"description": "不存在或未公开"},
                    },
                }
            },
            "/api/catalog/categories/": {
                "get": {
                    "tags": ["catalog"],
                    "summary": "分类体系（主题分类及平台自定义分类）",
                    "responses": {ok: {"description": "分类体系及其分类"}},
                }
            },
            "/api/catalog/table-two/{agency_id}/": {
                "get": {
                    "tags": ["catalog"],
                    "summary": "年度报告表二（主动公开政府信息情况）",
                    "parameters": [
                        {
                            "name": "agency_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                        {
                            "name": "year",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                        {
                            "name": "layout",
                            "in": "query",
                            "schema": {
                                "type": "string",
                                "enum": ["2021", "2019"],
                                "default": "2021",
                            },
                        },
                        {
                            "name": "scope",
                            "in": "query",
                            "schema": {
                                "type": "string",
                                "enum": ["subtree", "own"],
                                "default": "subtree",
                            },
                        },
                    ],
                    "responses": {
                        ok: {
                            "description": "表二",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/TableTwo"}
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "CatalogItemSummary": ITEM_SUMMARY,
                "CatalogItem": {
                    "allOf": [
                        {"$ref": "#/components/schemas/CatalogItemSummary"},
                        {
                            "type": "object",
                            "properties": {
                                "summary": {"type": "string", "description": "内容概述"},
                                "body_html": {
                                    "type": "string",
                                    "description": "正文（已净化的HTML）",
                                },
                                "keywords": {"type": "array", "items": {"type": "string"}},
                                "category": {
                                    "type": ["string", "null"],
                                    "description": "主题分类（大类\\小类）",
                                },
                                "co_issuers": {"type": "array", "items": {"type": "object"}},
                                "disclosure_attribute": {"type": "string"},
                                "valid_from": {"type": ["string", "null"], "format": "date"},
                                "abolished_on": {"type": ["string", "null"], "format": "date"},
                                "replaced_by": {"type": ["integer", "null"]},
                                "channels": {"type": "array", "items": {"type": "string"}},
                                "version": {"type": "integer"},
                                "attachments": {"type": "array", "items": {"type": "object"}},
                                "interpretations": {"type": "array", "items": {"type": "integer"}},
                                "interprets": {"type": "array", "items": {"type": "integer"}},
                                "versions": {"type": "array", "items": {"type": "object"}},
                            },
                        },
                    ]
                },
                "TableTwo": TABLE_TWO,
            }
        },
    }


#: The fragment as a module-level dict (the merger may import either).
OPENAPI: dict[str, Any] = fragment()
