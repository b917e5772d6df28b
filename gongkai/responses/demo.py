"""Demo data: one case of the city's disclosure office answered 部分公开 with a redacted file."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.applications import services as app_services
from gongkai.applications.choices import (
    ApplicantType,
    Channel,
    DeliveryMethod,
    IdDocumentType,
    Result,
)
from gongkai.applications.identity import id_check_char
from gongkai.responses import services
from gongkai.responses.choices import RedactionReason

#: The demo document: a decision with a person's name, ID number and mobile number in it.
DEMO_HTML = """<style>@page { size: A4; margin: 25mm }
body { font: 12pt/1.8 "Noto Serif CJK SC", "Noto Sans CJK SC", serif }
h1 { text-align: center; font-size: 18pt }</style>
<h1>临江市人民政府办公室<br>关于老旧小区改造补助资金拨付情况的说明</h1>
<p>根据市政府常务会议纪要，本机关对2025年老旧小区改造补助资金拨付情况说明如下。</p>
<p>一、补助资金共计人民币一千二百万元，已于2025年11月拨付至各区财政部门。</p>
<p>二、经办联系人：王建国，居民身份证号码 {id_number}，联系电话 13812345678。</p>
<p>三、内部讨论意见：拟于下一年度调整补助标准（尚未决定）。</p>
<p>四、本说明自印发之日起公开。</p>
"""


def build_response_demo(*, stdout: Any = None, username: str = "bgs_handler") -> Any:
    """A case with a drafted 部分公开 reply and its redacted document (personal data and one
    passage of process information withheld), submitted for review. Skipped if users are
    missing (the demo city is not there)."""
    from weasyprint import HTML

    handler = User.objects.filter(username=username).first()
    membership = handler.memberships.select_related("agency").first() if handler else None
    if handler is None or membership is None:
        return None
    agency = membership.agency
    today = timezone.localdate()
    app = app_services.application_register(
        by=handler,
        agency=agency,
        channel=Channel.IN_PERSON,
        arrived_on=today,
        applicant=app_services.ApplicantData(
            applicant_type=ApplicantType.PERSON,
            name="李华",
            id_document_type=IdDocumentType.ID_CARD,
            id_number="11010119851201001" + id_check_char("11010119851201001"),
            phone="13900001111",
            address="临江市滨江路8号",
        ),
        description="2025年老旧小区改造补助资金拨付情况",
        requested_delivery=DeliveryMethod.ONLINE,
    )
    app = app_services.application_draft_reply(
        by=handler,
        application=app,
        decisions=[
            app_services.ItemDecision(
                description="2025年老旧小区改造补助资金拨付情况", decision=Result.R2_PARTIAL
            )
        ],
    )
    doc = services.document_attach_upload(
        by=handler,
        application=app,
        data=HTML(
            string=DEMO_HTML.replace(
                "{id_number}", "11010119900307757" + id_check_char("11010119900307757")
            )
        ).write_pdf(),
        name="补助资金拨付情况说明.pdf",
        item_position=1,
    )
    doc, _found = services.marks_personal_data(by=handler, document=doc)
    doc, _found = services.marks_search(
        by=handler, document=doc, query="王建国", reason=RedactionReason.PERSONAL_PRIVACY
    )
    doc, _found = services.marks_search(
        by=handler,
        document=doc,
        query="拟于下一年度调整补助标准（尚未决定）",
        reason=RedactionReason.PROCESS_INFO,
    )
    services.document_render(by=handler, document_id=doc.pk)
    app = app_services.application_submit_for_review(by=handler, application=app)
    if stdout is not None:
        stdout.write(f"答复材料演示案件：{app.registration_number}（待审核，含区分处理的答复材料）")
    return app
