"""Drafts as 章/条/款 with stable keys; comments attached to an article and a quote survive a
new version of the draft (articles renumbered, edited, inserted)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from gongkai.core.actors import SYSTEM
from gongkai.engagement.choices import DraftKind
from gongkai.engagement.provisions import carry_keys, docx_paragraphs, parse
from gongkai.engagement.services import (
    comment_submit,
    consultation_create,
    consultation_publish,
    consultation_revise,
)
from gongkai.engagement.workflow import PUBLIC, EngagementError

V1 = [
    "临江市养犬管理规定（征求意见稿）",
    "第一章　总则",
    "第一条　为了规范养犬行为，保障公民健康和人身安全，制定本规定。",
    "第二条　本规定适用于本市城市建成区内的养犬活动。",
    "本市其他区域的养犬管理，由区县人民政府参照本规定执行。",
    "第二章　登记管理",
    "第三条　养犬实行登记制度。犬只应当在取得犬只登记证后方可饲养。",
    "第四条　携犬出户应当束犬链，由成年人牵领。",
]
# v2: a new article inserted before 第三条 (so 三→四, 四→五), 第四条 lightly edited
V2 = [
    *V1[:6],
    "第三条　养犬人应当遵守法律法规，尊重社会公德。",
    "第四条　养犬实行登记制度。犬只应当在取得犬只登记证后方可饲养。",
    "第五条　携犬出户应当束犬链（绳），由成年人牵领，并主动避让行人。",
]


def test_parse_chapters_articles_and_clauses():
    """Titles before the first article are skipped; 款 are numbered within their article."""
    provisions = parse(V1)
    assert [(p.kind, p.label, p.key) for p in provisions] == [
        ("章", "第一章", "C1"),
        ("条", "第一条", "A1"),
        ("条", "第二条", "A2"),
        ("款", "第二条第2款", "A2.2"),
        ("章", "第二章", "C2"),
        ("条", "第三条", "A3"),
        ("条", "第四条", "A4"),
    ]


def test_keys_follow_articles_across_versions():
    """Renumbered and edited articles keep their keys; an inserted one gets a new key."""
    new = carry_keys(parse(V1), parse(V2))
    keys = {p.label: p.key for p in new if p.kind == "条"}
    assert keys == {"第一条": "A1", "第二条": "A2", "第三条": "A5", "第四条": "A3", "第五条": "A4"}
    assert [p.key for p in new if p.kind == "款"] == ["A2.2"]


def test_docx_paragraphs_read_back():
    """A real DOCX draft is read paragraph by paragraph."""
    import docx

    document = docx.Document()
    for line in V1:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    assert [p.label for p in parse(docx_paragraphs(buf.getvalue()))][:2] == ["第一章", "第一条"]


@pytest.mark.django_db
def test_a_comment_on_an_article_survives_a_new_version(tree):
    """A comment on 第四条 with a quote is still on that article (now 第五条) in version 2."""
    today = timezone.localdate()
    c = consultation_create(
        by=SYSTEM, agency=tree.city, title="临江市养犬管理规定（征求意见稿）", kind=DraftKind.REGULATION,
        body="\n".join(V1), opens_on=today, closes_on=today + dt.timedelta(days=30),
    )  # fmt: skip
    c = consultation_publish(by=SYSTEM, consultation=c)
    comment = comment_submit(
        by=PUBLIC, consultation=c, contact="x", text="建议允许夜间不束犬链。",
        provision_key="A4", quote="携犬出户应当束犬链",
    )  # fmt: skip
    with pytest.raises(EngagementError):
        comment_submit(by=PUBLIC, consultation=c, contact="x", text="?", provision_key="A9")
    with pytest.raises(EngagementError):
        comment_submit(
            by=PUBLIC, consultation=c, contact="x", text="?", provision_key="A1", quote="束犬链"
        )
    c = consultation_revise(by=SYSTEM, consultation=c, paragraphs=V2)
    assert c.version == 2
    current = c.provisions.get(version=2, key=comment.provision_key)
    assert current.label == "第五条" and comment.quote in current.text
    with pytest.raises(EngagementError):
        consultation_revise(by=SYSTEM, consultation=c, paragraphs=["没有条文的文字"])
