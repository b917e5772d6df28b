"""Fixtures of the ledger tests: ledger tables and files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from gongkai.applications.tests.factories import make_id_number
from gongkai.core.tabular import write_table
from gongkai.ledger import columns as c

TODAY = dt.date(2026, 3, 2)
HEADER = list(c.ALL)


def row(**values: Any) -> list[Any]:
    """A ledger row in template column order; keyword names are the Chinese headers."""
    base: dict[str, Any] = {
        c.NUMBER: "",
        c.RECEIVED_ON: "2025-03-05",
        c.CHANNEL: "网络",
        c.APPLICANT_TYPE: "自然人",
        c.APPLICANT: "张三",
        c.DESCRIPTION: "2024年本机关行政处罚决定书",
        c.RESULT: "予以公开",
        c.REPLIED_ON: "2025-03-20",
        c.ID_NUMBER: make_id_number(7),
        c.PHONE: "13812345678",
        c.EXTENDED: "否",
        c.CORRECTED_ON: "",
    }
    base.update(values)
    return [base[h] for h in HEADER]


def good_rows() -> list[list[Any]]:
    """Eight valid rows: every applicant column, open and closed cases, two years."""
    return [
        row(),
        row(**{c.RESULT: "（二）部分公开", c.APPLICANT: "李四", c.ID_NUMBER: make_id_number(8)}),
        row(
            **{
                c.APPLICANT_TYPE: "商业企业",
                c.APPLICANT: "某某有限公司",
                c.ID_NUMBER: "",
                c.RESULT: "（三）1.属于国家秘密",
                c.NUMBER: "旧2025-17",
            }
        ),
        row(
            **{
                c.APPLICANT_TYPE: "法人或其他组织-科研机构",
                c.APPLICANT: "某研究院",
                c.ID_NUMBER: "",
                c.RESULT: "本机关不掌握相关政府信息",
                c.EXTENDED: "是",
                c.REPLIED_ON: "2025-04-30",
            }
        ),
        row(
            **{
                c.APPLICANT_TYPE: "社会公益组织",
                c.APPLICANT: "某基金会",
                c.ID_NUMBER: "",
                c.RESULT: "申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",
                c.CORRECTED_ON: "",
            }
        ),
        row(
            **{
                c.APPLICANT_TYPE: "法律服务机构",
                c.APPLICANT: "某律师事务所",
                c.ID_NUMBER: "",
                c.RESULT: "信访举报投诉类申请",
                c.RECEIVED_ON: "2024-12-30",
                c.REPLIED_ON: "2025-01-10",
                c.NUMBER: "2024-0005",
            }
        ),
        row(
            **{
                c.APPLICANT_TYPE: "其他",
                c.APPLICANT: "某协会",
                c.ID_NUMBER: "",
                c.RESULT: "其他",
                c.CORRECTED_ON: "2025-03-10",
            }
        ),
        row(
            **{
                c.RESULT: "",
                c.REPLIED_ON: "",
                c.RECEIVED_ON: "2026-02-24",
                c.APPLICANT: "王五",
                c.ID_NUMBER: make_id_number(9),
            }
        ),
    ]


def write_ledger(path: Path, rows: list[list[Any]]) -> Path:
    """Write a ledger file (XLSX or CSV by suffix) with the template header."""
    write_table(path, [HEADER, *rows])
    return path


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Pin "today" to 2026-03-02."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def ledger_file(tmp_path: Path) -> Path:
    """A valid XLSX ledger of eight rows."""
    return write_ledger(tmp_path / "台账.xlsx", good_rows())


@pytest.fixture(autouse=True)
def search_dir(settings: Any, tmp_path: Path) -> Any:
    """A fresh embedded search index per test (imports queue index changes)."""
    from gongkai.search.backends import forget_backends
    from gongkai.search.segment import reset_segmenter

    settings.VAR_DIR = tmp_path
    forget_backends()
    reset_segmenter()
    yield
    forget_backends()
    reset_segmenter()
