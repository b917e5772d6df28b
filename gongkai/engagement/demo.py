"""Demo engagement of the city government: consultations with feedback, interviews, press
conferences, responses, mailbox messages and hotline counts for 2024 and 2025 (small)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.core.actors import SYSTEM
from gongkai.engagement.choices import Adoption, CommentChannel, DraftKind, InteractionKind
from gongkai.engagement.models import Consultation
from gongkai.engagement.services import (
    comment_answer,
    comment_moderate,
    comment_submit,
    consultation_close,
    consultation_conclude,
    consultation_create,
    consultation_publish,
    hotline_count_record,
    interaction_record,
    message_assign,
    message_receive,
    message_reply,
)

CONSULTATIONS = [
    (2024, "临江市城市绿化管理办法（征求意见稿）", DraftKind.REGULATION, 5, 31),
    (2025, "临江市养犬管理规定（征求意见稿）", DraftKind.REGULATION, 4, 30),
    (2025, "临江市老旧小区改造三年行动方案（征求意见稿）", DraftKind.MAJOR_DECISION, 8, 30),
]
COMMENTS = [
    ("建议明确遛犬时段和区域。", Adoption.ADOPTED, ""),
    ("建议明确遛犬时段和区域！", Adoption.ADOPTED, ""),
    ("建议降低办证收费标准。", Adoption.PARTLY, "收费标准按省定标准执行，已增加减免情形。"),
    ("建议全面禁止饲养大型犬。", Adoption.NOT_ADOPTED, "与上位法规定不一致，未予采纳。"),
]
INTERACTIONS = [
    (InteractionKind.INTERVIEW, "2024-06-18", "优化营商环境政策在线访谈", "市发展改革委主任", True),
    (InteractionKind.INTERVIEW, "2025-05-20", "义务教育招生政策在线访谈", "市教育局局长", True),
    (
        InteractionKind.INTERVIEW,
        "2025-09-12",
        "城镇老旧小区改造在线访谈",
        "市住房城乡建设局副局长",
        False,
    ),
    (
        InteractionKind.PRESS_CONFERENCE,
        "2024-03-15",
        "2024年政府工作报告重点任务新闻发布会",
        "市政府副秘书长",
        False,
    ),
    (
        InteractionKind.PRESS_CONFERENCE,
        "2025-02-26",
        "2025年民生实事项目新闻发布会",
        "常务副市长",
        True,
    ),
    (
        InteractionKind.PRESS_CONFERENCE,
        "2025-07-08",
        "防汛抗旱工作新闻发布会",
        "市水务局局长",
        False,
    ),
    (
        InteractionKind.RESPONSE,
        "2025-08-03",
        "关于江滨路夜间施工噪音问题的回应",
        "市城市管理局",
        False,
    ),
]
MESSAGES = [
    (
        "2025-03-02",
        "江滨路路灯不亮",
        "江滨路中段路灯连续一周不亮，请尽快维修。",
        "已安排维修，路灯已恢复。",
        True,
    ),
    (
        "2025-04-11",
        "小区加装电梯咨询",
        "老旧小区加装电梯有哪些补贴政策？",
        "补贴政策详见市住建局网站，已电话告知。",
        True,
    ),
    (
        "2025-06-20",
        "学校周边交通拥堵",
        "实验小学放学时段交通拥堵严重。",
        "已增派交警疏导，并调整信号灯配时。",
        False,
    ),
    ("2025-12-20", "公交线路调整建议", "建议增开至高铁站的公交线路。", "", True),
]


def build_engagement_demo(city: Any, unit: Any) -> int:
    """Record the demo engagement of ``city`` (mail assigned to ``unit``); 0 if any exists."""
    if Consultation.objects.exists():
        return 0
    for year, title, kind, month, days in CONSULTATIONS:
        opens = dt.date(year, month, 1)
        c = consultation_create(
            by=SYSTEM, agency=city, title=title, kind=kind, opens_on=opens,
            closes_on=opens + dt.timedelta(days=days - 1), background="为广泛听取社会各界意见，现公开征求意见。",
            body="第一条　为了加强管理，保障公共安全和市民合法权益，根据有关法律法规，结合本市实际，制定本规定。\n第二条　本规定适用于本市行政区域内的相关活动。",
        )  # fmt: skip
        consultation_publish(by=SYSTEM, consultation=c, today=opens)
        ids = []
        for n, (text, _, _) in enumerate(COMMENTS):
            channel = CommentChannel.LETTER if n == 3 else CommentChannel.ONLINE
            ids.append(comment_submit(by=SYSTEM, consultation=c, contact=f"0799-860000{n}", text=text, channel=channel).pk)  # fmt: skip
        for pk in ids:
            comment_moderate(by=SYSTEM, consultation=c, comment_id=pk, accept=True)
        consultation_close(by=SYSTEM, consultation=c)
        for pk, (_, adoption, reason) in zip(ids, COMMENTS, strict=True):
            comment_answer(by=SYSTEM, consultation=c, comment_id=pk, adoption=adoption, reason=reason)  # fmt: skip
        consultation_conclude(
            by=SYSTEM, consultation=c,
            summary="征求意见期间共收到意见4条（相同意见合并为3组），采纳2条、部分采纳1条、未采纳1条。",
        )  # fmt: skip
    for interaction, day, topic, people, principal in INTERACTIONS:
        interaction_record(
            by=SYSTEM, agency=city, kind=interaction, held_on=dt.date.fromisoformat(day), topic=topic,
            people=people, principal_attended=principal,
            transcript=f"{people}：各位网友、媒体朋友，大家好。今天就“{topic}”有关情况作介绍并回答提问。",
            published_where="临江市人民政府门户网站",
        )  # fmt: skip
    for day, subject, text, reply, consent in MESSAGES:
        received = dt.date.fromisoformat(day)
        m = message_receive(
            by=SYSTEM, agency=city, subject=subject, text=text, contact="0799-8600100",
            consent_to_publish=consent, received_on=received,
        )  # fmt: skip
        message_assign(by=SYSTEM, message=m, unit=unit)
        if reply:
            message_reply(by=SYSTEM, message=m, reply=reply, replied_on=received + dt.timedelta(days=7))  # fmt: skip
    for year, referred, completed in [(2024, 18240, 17106), (2025, 21310, 20488)]:
        hotline_count_record(
            by=SYSTEM, agency=city, year=year, referred=referred, completed=completed,
            source="12345政务服务便民热线工单系统",
        )  # fmt: skip
    return len(CONSULTATIONS)
