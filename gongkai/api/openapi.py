"""The OpenAPI 3.1 document served at /api/openapi.json.

This app's own paths (online applications) plus the fragments other apps expose as
``gongkai.<app>.openapi.OPENAPI`` (a dict with ``paths`` and optionally ``components`` and
``tags``), e.g. the catalogue and search APIs. A broken fragment is skipped, never fatal.
"""

from __future__ import annotations

import copy
import importlib
import logging
import pkgutil
from typing import Any

import gongkai
from gongkai.applications.choices import (
    ApplicantType,
    DeliveryMethod,
    IdDocumentType,
    InformationForm,
)

logger = logging.getLogger(__name__)

_STR = {"type": "string"}


def _file(description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description + "；按文件内容识别类型（PDF、JPG、PNG），单个不超过5 MB",
        "required": ["filename", "content_base64"],
        "properties": {
            "filename": {"type": "string", "maxLength": 200},
            "content_base64": {"type": "string", "contentEncoding": "base64"},
        },
    }


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(ref: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


CREDENTIALS = {
    "registration_number": {"type": "string", "maxLength": 40, "description": "受理编号", "example": "2026-0012"},
    "access_code": {"type": "string", "maxLength": 40, "description": "查询码（受理时一次性提供）", "example": "ABCD-EFGH-JK23"},
}  # fmt: skip

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "description": "机器可读的错误代码", "enum": ["invalid", "invalid_json", "too_large", "rate_limited", "not_found", "not_allowed", "method_not_allowed", "invalid_idempotency_key", "idempotency_key_reused"]},
            "message": {"type": "string", "description": "中文说明"},
            "errors": {"type": "object", "additionalProperties": {"type": "string"}, "description": "字段名 → 中文错误说明"},
        },
    },
    "ApplicationSubmission": {
        "type": "object",
        "description": "政府信息公开申请（《条例》第二十九条）",
        "required": ["agency_id", "applicant_type", "applicant_name", "description", "requested_form", "requested_delivery", "identity_copy"],
        "properties": {
            "agency_id": {"type": "integer", "description": "受理机关编号（见 /api/apply/agencies）"},
            "applicant_type": {"type": "string", "enum": list(ApplicantType.values), "description": "自然人，或法人或其他组织的五类之一"},
            "applicant_name": {"type": "string", "maxLength": 200, "description": "姓名或名称"},
            "id_document_type": {"type": "string", "enum": ["", *IdDocumentType.values], "description": "自然人必填"},
            "id_number": {"type": "string", "maxLength": 40, "description": "证件号码；居民身份证校验第18位"},
            "credit_code": {"type": "string", "maxLength": 18, "description": "统一社会信用代码"},
            "legal_representative": {"type": "string", "maxLength": 100},
            "contact_name": {"type": "string", "maxLength": 100},
            "phone": {"type": "string", "maxLength": 40, "description": "电话、电子邮箱、通信地址至少一项"},
            "email": {"type": "string", "maxLength": 254},
            "address": {"type": "string", "maxLength": 300},
            "postcode": {"type": "string", "pattern": "^(\\d{6})?$"},
            "doc_title": {"type": "string", "maxLength": 200, "description": "文件名称"},
            "doc_number": {"type": "string", "maxLength": 100, "description": "文号"},
            "doc_date": {"type": "string", "maxLength": 100, "description": "形成日期或时间范围"},
            "description": {"type": "string", "maxLength": 5000, "description": "所需政府信息的特征性描述"},
            "requested_form": {"type": "string", "enum": list(InformationForm.values)},
            "requested_delivery": {"type": "string", "enum": [v for v in DeliveryMethod.values if v != "ON_THE_SPOT"]},
            "identity_copy": _file("身份证明复印件"),
            "attachment": _file("其他材料（可选）"),
        },
    },
    "Case": {
        "type": "object",
        "properties": {
            "registration_number": _STR,
            "agency": {"type": "object", "properties": {"id": {"type": "integer"}, "name": _STR}},
            "status": _STR,
            "status_label": _STR,
            "received_on": {"type": "string", "format": "date"},
            "received_text": {"type": "string", "example": "2026年3月16日"},
            "applicant_type": _STR,
            "applicant_type_label": _STR,
            "requested_form": _STR,
            "requested_form_label": _STR,
            "requested_delivery": _STR,
            "requested_delivery_label": _STR,
            "correction_content": {"type": "string", "description": "待补正时：机关要求补正的内容"},
            "deadlines": {"type": "array", "items": {"type": "object", "properties": {
                "label": {"type": "string", "example": "法定答复期限"},
                "due": {"type": ["string", "null"], "format": "date"},
                "text": {"type": "string", "example": "2026年3月16日，剩余 12 个工作日"},
                "provisional": {"type": "boolean", "description": "暂定：所涉年度节假日安排尚未公布"},
            }}},
            "timeline": {"type": "array", "items": {"type": "object", "properties": {"on": {"type": "string", "format": "date"}, "text": _STR}}},
            "letters": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "integer"}, "title": _STR, "number": _STR,
                "issued_on": {"type": "string", "format": "date"}, "kind": _STR,
                "pdf_url": {"type": ["string", "null"]}, "docx_url": {"type": ["string", "null"]},
            }}},
            "actions": {"type": "object", "properties": {"correct": {"type": "boolean"}, "pay": {"type": "boolean"}, "withdraw": {"type": "boolean"}}},
        },
    },
    "Submitted": {
        "type": "object",
        "required": ["registration_number", "case"],
        "properties": {
            "registration_number": _STR,
            "access_code": {"type": ["string", "null"], "description": "查询码，只在首次提交的响应中返回（同一 Idempotency-Key 一小时内重放相同响应）"},
            "case": {"$ref": "#/components/schemas/Case"},
        },
    },
}  # fmt: skip

_COMMON_ERRORS = {
    "400": _error("输入有误（字段错误按字段名给出）"),
    "429": _error("请求过于频繁"),
}


def _credentials_body(
    extra: dict[str, Any] | None = None, required: list[str] | None = None
) -> dict[str, Any]:
    return {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["registration_number", "access_code", *(required or [])],
                    "properties": {**CREDENTIALS, **(extra or {})},
                }
            }
        },
    }


PATHS: dict[str, Any] = {
    "/api/applications": {
        "post": {
            "tags": ["applications"],
            "operationId": "submitApplication",
            "summary": "提交政府信息公开申请（网络申请）",
            "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "pattern": "^[A-Za-z0-9_\\-]{8,128}$"}, "description": "同一键只生成一件申请"}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApplicationSubmission"}}}},
            "responses": {"201": _json("Submitted", "已受理"), "200": _json("Submitted", "同一 Idempotency-Key 的重复提交"), **_COMMON_ERRORS, "409": _error("该 Idempotency-Key 已用于内容不同的另一份申请"), "413": _error("请求体过大")},
        }
    },
    "/api/applications/lookup": {
        "post": {
            "tags": ["applications"],
            "operationId": "lookupApplication",
            "summary": "凭受理编号和查询码查询办理情况",
            "requestBody": _credentials_body(),
            "responses": {"200": _json("Case", "办理情况"), **_COMMON_ERRORS, "404": _error("受理编号或查询码不正确")},
        }
    },
    "/api/applications/correction": {
        "post": {
            "tags": ["applications"],
            "operationId": "submitCorrection",
            "summary": "提交补正（答复期限自收到补正之日起重新计算）",
            "requestBody": _credentials_body(
                {"correction": {"type": "string", "maxLength": 5000}, "files": {"type": "array", "maxItems": 5, "items": _file("补正材料")}},
                ["correction"],
            ),
            "responses": {"200": _json("Case", "已收到补正"), **_COMMON_ERRORS, "404": _error("受理编号或查询码不正确"), "409": _error("当前状态不能补正")},
        }
    },
    "/api/applications/withdraw": {
        "post": {
            "tags": ["applications"],
            "operationId": "withdrawApplication",
            "summary": "撤回申请",
            "requestBody": _credentials_body({"reason": {"type": "string", "maxLength": 500}}),
            "responses": {"200": _json("Case", "已撤回"), **_COMMON_ERRORS, "404": _error("受理编号或查询码不正确"), "409": _error("当前状态不能撤回")},
        }
    },
    "/api/apply/agencies": {
        "get": {
            "tags": ["applications"],
            "operationId": "listAgencies",
            "summary": "受理申请的机关",
            "parameters": [{"name": "q", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 50}}],
            "responses": {"200": {"description": "机关列表", "content": {"application/json": {"schema": {"type": "object", "properties": {"results": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}, "name": _STR}}}}}}}}},
        }
    },
}  # fmt: skip


def fragments() -> list[tuple[str, dict[str, Any]]]:
    """The OpenAPI fragments other apps expose (``gongkai.<app>.openapi.OPENAPI``)."""
    found = []
    for mod in pkgutil.iter_modules(gongkai.__path__):
        if not mod.ispkg or mod.name == "api":
            continue
        try:
            module = importlib.import_module(f"gongkai.{mod.name}.openapi")
        except ModuleNotFoundError:
            continue
        except Exception:  # a broken fragment must not take the schema down
            logger.exception("OpenAPI fragment of %s failed to load", mod.name)
            continue
        fragment = getattr(module, "OPENAPI", None)
        if isinstance(fragment, dict):
            found.append((mod.name, fragment))
    return found


def schema(server: str = "") -> dict[str, Any]:
    """The merged OpenAPI document."""
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "政府信息公开平台接口",
            "version": "1.0",
            "description": "依申请公开的提交和查询，以及各模块的公开数据接口。错误响应为 JSON："
            "code（错误代码）、message（中文说明）、errors（按字段的中文说明）。日期为 ISO 8601。",
        },
        "servers": [{"url": server}] if server else [],
        "tags": [
            {"name": "applications", "description": "依申请公开（在线申请、查询、补正、撤回）"}
        ],
        "paths": copy.deepcopy(PATHS),
        "components": {"schemas": copy.deepcopy(SCHEMAS)},
    }
    for name, fragment in fragments():
        for path, item in (fragment.get("paths") or {}).items():
            doc["paths"].setdefault(path, copy.deepcopy(item))
        components = fragment.get("components") or {}
        for section, entries in components.items():
            target = doc["components"].setdefault(section, {})
            for key, value in (entries or {}).items():
                target.setdefault(key, copy.deepcopy(value))
        for tag in fragment.get("tags") or []:
            if isinstance(tag, dict) and tag not in doc["tags"]:
                doc["tags"].append(tag)
        if not fragment.get("tags") and name not in {t["name"] for t in doc["tags"]}:
            doc["tags"].append({"name": name})
    return doc
