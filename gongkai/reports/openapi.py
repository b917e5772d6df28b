"""OpenAPI 3 fragment of the reports app (merged into /api/openapi.json by ``gongkai.api``)."""

from __future__ import annotations

from typing import Any

_ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}}}


_CHECK = {
    "type": "object",
    "description": "一条不符的勾稽关系",
    "properties": {
        "code": {"type": "string", "example": "H1", "description": "关系代码（H 为必须成立，L、S 为提示，P 为正文数字）"},
        "severity": {"type": "string", "enum": ["hard", "soft"]},
        "message": {"type": "string", "description": "中文说明，含所涉数字"},
        "cells": {"type": "array", "items": {"type": "string", "example": "table3.new.6"}, "description": "参与该关系的单元格"},
        "figures": {"type": "object", "description": "所涉数字（名称 → 数值）"},
    },
}  # fmt: skip

OPENAPI: dict[str, Any] = {
    "tags": [{"name": "reports", "description": "政府信息公开工作年度报告（年报体检）"}],
    "paths": {
        "/api/report-check": {
            "post": {
                "tags": ["reports"],
                "operationId": "checkAnnualReport",
                "summary": "年报体检：读取一份已发布的年度报告并核对勾稽关系",
                "description": (
                    "上传报告文件（multipart 的 file 字段：纯文本、HTML、DOCX 或 PDF，按文件内容识别"
                    "类型，不超过5 MB），或提交 JSON {\"text\": 报告正文}。返回读取出的表二、表三、"
                    "表四（2008年版为统计表）、各单元格在原文中的位置（sources）、不符的勾稽关系"
                    "（checks）、未能读取的内容（not_found）和正文中的数字（prose_figures）。"
                    "文件只在本次请求中读取，不保存。每个 IP 地址每10分钟最多20次。"
                ),
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "file": {"type": "string", "format": "binary", "description": "报告文件（不超过5 MB）"},
                                    "text": {"type": "string", "description": "或：报告正文"},
                                },
                            }
                        },
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["text"],
                                "properties": {"text": {"type": "string", "description": "报告正文（纯文本或网页源代码）"}},
                            }
                        },
                    },
                },
                "responses": {
                    "200": {
                        "description": "读取结果",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "format": {"type": ["integer", "null"], "enum": [2021, 2019, 2008, None]},
                                        "year": {"type": ["integer", "null"]},
                                        "agency_name": {"type": ["string", "null"]},
                                        "input_kind": {"type": "string", "enum": ["text", "html", "docx", "pdf"]},
                                        "table2": {"type": ["object", "null"]},
                                        "table3": {"type": ["array", "null"], "items": {"type": "object"}},
                                        "table4": {"type": ["object", "null"]},
                                        "table2008": {"type": ["object", "null"]},
                                        "sources": {"type": "object", "description": "单元格 → 原文位置（line、page、table/row/col 等）"},
                                        "checks": {"type": "array", "items": _CHECK},
                                        "not_found": {"type": "array", "items": {"type": "string"}},
                                        "notes": {"type": "array", "items": {"type": "string"}},
                                        "prose_figures": {"type": "array", "items": {"type": "object"}},
                                    },
                                }
                            }
                        },
                    },
                    "400": _error("未提交报告、无法识别文件类型或无法读取"),
                    "405": _error("请使用 POST 方法"),
                    "413": _error("文件超过5 MB"),
                    "429": _error("请求过于频繁"),
                },
            }
        }
    },
}  # fmt: skip
