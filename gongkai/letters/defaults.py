"""The platform's default letter texts: one per reply type (table 三 row) and per notice.

These are data, not UI strings (no gettext): an agency admin edits them per agency and every
save makes a new version (``services.letter_template_save``). Placeholders are Django template
variables from ``placeholders.PLACEHOLDERS``; each line of the body becomes one paragraph, the
first line ending with "：" is the salutation. The signature (issuing agency and date) and the
letter number are added by the renderer, not written in the body.

``article`` names the provisions each text cites (tests assert it is in the generated files);
the choice of provisions per row follows spec §1.3/§4.3.4 and docs/decisions/0451-letter-texts.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from gongkai.letters.choices import LetterKind

REG = "《中华人民共和国政府信息公开条例》"
FEE_MEASURE = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

OPENING = (
    "本机关于{{ received_on }}收到{{ you }}提出的政府信息公开申请"
    "（受理编号：{{ registration_number }}），{{ you }}申请获取“{{ request }}”。"
)
OPENING_SHORT = (
    "本机关于{{ received_on }}收到{{ you }}提出的政府信息公开申请"
    "（受理编号：{{ registration_number }}）。"
)
REASONS = "{{ reasons }}"
REMEDY_REPLY = (
    "如对本答复不服，可以自收到本答复书之日起60日内向{{ review_body }}申请行政复议，"
    "或者自收到本答复书之日起6个月内依法向人民法院提起行政诉讼。"
)
REMEDY_NOTICE = (
    "如对本告知不服，可以自收到本告知书之日起60日内向{{ review_body }}申请行政复议，"
    "或者自收到本告知书之日起6个月内依法向人民法院提起行政诉讼。"
)
CONTACT = "{% if agency_phone %}（联系电话：{{ agency_phone }}）{% endif %}"
HEREBY = "特此告知。"

TITLE_REPLY = "政府信息公开申请答复书"
TITLE_NOT_PROCESSED = "政府信息公开申请不予处理告知书"


@dataclass(frozen=True)
class DefaultTemplate:
    """One shipped letter text."""

    code: str
    kind: str
    name: str
    title: str
    article: str
    body: str
    result: str = ""

    @property
    def kind_label(self) -> str:
        """The letter kind's label (e.g. 答复书)."""
        return str(LetterKind(self.kind).label)

    @property
    def digest(self) -> str:
        """SHA-256 of the shipped text (detects a changed default after an upgrade)."""
        return hashlib.sha256(f"{self.title}\n{self.body}".encode()).hexdigest()


def _body(*lines: str) -> str:
    return "\n".join(["{{ applicant }}：", *lines])


def _reply(code: str, result: str, name: str, article: str, *decision: str) -> DefaultTemplate:
    return DefaultTemplate(
        code=code,
        kind=LetterKind.REPLY,
        name=name,
        title=TITLE_REPLY,
        article=article,
        result=result,
        body=_body(OPENING, *decision, REASONS, REMEDY_REPLY, CONTACT),
    )


def _withheld(code: str, result: str, name: str, article: str, what: str) -> DefaultTemplate:
    return _reply(
        code,
        result,
        name,
        article,
        f"经审查，{{{{ you }}}}申请获取的政府信息{what}。根据{REG}{article}的规定，本机关决定不予公开。",
    )


def _not_processed(code: str, result: str, name: str, article: str, text: str) -> DefaultTemplate:
    return DefaultTemplate(
        code=code,
        kind=LetterKind.NOT_PROCESSED,
        name=name,
        title=TITLE_NOT_PROCESSED,
        article=article,
        result=result,
        body=_body(OPENING, text, REASONS, REMEDY_NOTICE, CONTACT),
    )


DEFAULTS: tuple[DefaultTemplate, ...] = (
    # -- （一）予以公开 ---------------------------------------------------------------------
    _reply(
        "reply_r1_open",
        "r1_open",
        "予以公开",
        "第三十六条第（二）项",
        f"经审查，{{{{ you }}}}申请获取的政府信息属于公开范围。根据{REG}第三十六条第（二）项的规定，"
        "本机关决定予以公开，现向{{ you }}提供该政府信息"
        "{% if delivery %}（提供方式：{{ delivery }}）{% endif %}。",
    ),
    _reply(
        "reply_r1_proactive",
        "r1_open",
        "予以公开（已主动公开）",
        "第三十六条第（一）项",
        "经查，{{ you }}申请获取的政府信息已经主动公开"
        "{% if published_at %}，{{ you }}可以通过{{ published_at }}获取{% endif %}。"
        f"根据{REG}第三十六条第（一）项的规定，特此告知{{{{ you }}}}获取该政府信息的方式和途径。",
    ),
    # -- （二）部分公开 ---------------------------------------------------------------------
    _reply(
        "reply_r2_partial",
        "r2_partial",
        "部分公开",
        "第三十七条",
        "经审查，{{ you }}申请公开的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理。"
        f"根据{REG}第三十七条和第三十六条第（二）项、第（三）项的规定，本机关向{{{{ you }}}}提供可以公开的"
        "信息内容，对不予公开的内容说明理由。具体如下：",
        "{% for item in items %}{{ forloop.counter }}．{{ item.description }}：{{ item.decision }}"
        "{% if item.reason %}。{{ item.reason }}{% endif %}\n{% endfor %}"
        "{% if provided %}现向您提供：{{ provided }}。\n{% endif %}"
        "{% if withheld %}区分处理说明：\n{{ withheld }}{% endif %}",
    ),
    # -- （三）不予公开 ---------------------------------------------------------------------
    _withheld(
        "reply_r3_1",
        "r3_1",
        "不予公开：属于国家秘密",
        "第十四条",
        "属于依法确定为国家秘密的政府信息",
    ),
    _withheld(
        "reply_r3_2",
        "r3_2",
        "不予公开：其他法律行政法规禁止公开",
        "第十四条",
        "属于法律、行政法规禁止公开的政府信息",
    ),
    _withheld(
        "reply_r3_3",
        "r3_3",
        "不予公开：危及“三安全一稳定”",
        "第十四条",
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    ),
    _withheld(
        "reply_r3_4",
        "r3_4",
        "不予公开：保护第三方合法权益",
        "第十五条",
        "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    ),
    _withheld(
        "reply_r3_5",
        "r3_5",
        "不予公开：属于三类内部事务信息",
        "第十六条第一款",
        "属于人事管理、后勤管理、内部工作流程等方面的内部事务信息",
    ),
    _withheld(
        "reply_r3_6",
        "r3_6",
        "不予公开：属于四类过程性信息",
        "第十六条第二款",
        "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息",
    ),
    _withheld(
        "reply_r3_7",
        "r3_7",
        "不予公开：属于行政执法案卷",
        "第十六条第二款",
        "属于行政执法案卷信息",
    ),
    _reply(
        "reply_r3_8",
        "r3_8",
        "不予公开：属于行政查询事项",
        "第三十六条第（七）项",
        "经审查，{{ you }}申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有"
        f"特别规定。根据{REG}第三十六条第（七）项的规定，请{{{{ you }}}}依照有关法律、行政法规的规定办理。",
    ),
    # -- （四）无法提供 ---------------------------------------------------------------------
    _reply(
        "reply_r4_1",
        "r4_1",
        "无法提供：本机关不掌握相关政府信息（信息不存在）",
        "第三十六条第（四）项",
        "经检索，本机关未制作、获取{{ you }}申请公开的政府信息，该政府信息不存在。"
        f"根据{REG}第三十六条第（四）项的规定，特此告知。",
    ),
    _reply(
        "reply_r4_1_other_agency",
        "r4_1",
        "无法提供：不属于本机关负责公开",
        "第三十六条第（五）项",
        "经审查，{{ you }}申请公开的政府信息不属于本机关负责公开。"
        f"根据{REG}第三十六条第（五）项的规定，特此告知"
        "{% if responsible_agency %}。负责公开该政府信息的行政机关为{{ responsible_agency }}"
        "{% if responsible_agency_contact %}，联系方式：{{ responsible_agency_contact }}{% endif %}"
        "，{{ you }}可以向该机关提出申请{% endif %}。",
    ),
    _reply(
        "reply_r4_2",
        "r4_2",
        "无法提供：没有现成信息需要另行制作",
        "第三十八条",
        "经审查，{{ you }}申请获取的内容需要本机关对现有政府信息进行加工、分析方能形成，"
        f"本机关没有现成的政府信息。根据{REG}第三十八条的规定，本机关不予提供。",
    ),
    _reply(
        "reply_r4_3",
        "r4_3",
        "无法提供：补正后申请内容仍不明确",
        "第三十条",
        "本机关已向{{ you }}发出补正告知书{% if correction_requested_on %}（{{ correction_requested_on }}）"
        "{% endif %}，{{ you }}补正后的申请内容仍不明确，本机关无法据此确定{{ you }}所需的政府信息。"
        f"根据{REG}第二十九条第二款、第三十条的规定，本机关无法向{{{{ you }}}}提供。",
    ),
    # -- （五）不予处理 ---------------------------------------------------------------------
    _not_processed(
        "reply_r5_1",
        "r5_1",
        "不予处理：信访举报投诉类申请",
        "第三十九条第一款",
        "经审查，{{ you }}提出的申请实质是以政府信息公开申请的形式进行信访、投诉、举报等活动。"
        f"根据{REG}第三十九条第一款的规定，本机关不作为政府信息公开申请处理，"
        "{{ you }}可以通过信访、投诉、举报等相应渠道提出。",
    ),
    _not_processed(
        "reply_r5_2",
        "r5_2",
        "不予处理：重复申请",
        "第三十六条第（六）项",
        "经查，本机关已就{{ you }}提出的相同政府信息公开申请作出答复"
        "{% if earlier_reply %}（{{ earlier_reply }}）{% endif %}，{{ you }}重复申请公开相同的政府信息。"
        f"根据{REG}第三十六条第（六）项的规定，本机关不予重复处理。",
    ),
    _not_processed(
        "reply_r5_3",
        "r5_3",
        "不予处理：要求提供公开出版物",
        "第三十九条第二款",
        "经审查，{{ you }}申请获取的是政府公报、报刊、书籍等公开出版物。"
        f"根据{REG}第三十九条第二款的规定，{{{{ you }}}}可以通过"
        "{% if published_at %}{{ published_at }}{% else %}公开出版物的发行渠道{% endif %}获取。",
    ),
    _not_processed(
        "reply_r5_4",
        "r5_4",
        "不予处理：无正当理由大量反复申请",
        "第三十五条",
        "{{ you }}申请公开政府信息的数量、频次明显超过合理范围，本机关已"
        "{% if reasons_requested_on %}于{{ reasons_requested_on }}{% endif %}要求{{ you }}说明理由，"
        f"经审查，本机关认为{{{{ you }}}}的申请理由不合理。根据{REG}第三十五条的规定，本机关不予处理。",
    ),
    _not_processed(
        "reply_r5_5",
        "r5_5",
        "不予处理：要求行政机关确认或重新出具已获取信息",
        "第三十八条",
        "经审查，{{ you }}要求本机关对{{ you }}已经获取的信息予以确认或者重新出具，该要求不属于获取已制作或者获取的"
        f"政府信息。根据{REG}第二条、第三十八条的规定，本机关不作为政府信息公开申请处理。",
    ),
    # -- （六）其他处理 ---------------------------------------------------------------------
    DefaultTemplate(
        code="reply_r6_1",
        kind=LetterKind.TERMINATION,
        name="视为放弃：逾期不补正",
        title="政府信息公开申请视为放弃告知书",
        article="第三十条",
        result="r6_1",
        body=_body(
            OPENING_SHORT,
            "本机关已向{{ you }}发出补正告知书{% if correction_requested_on %}（{{ correction_requested_on }}）"
            "{% endif %}，要求{{ you }}{% if correction_period_ends_on %}于{{ correction_period_ends_on }}前"
            "{% endif %}对申请内容作出补正。{{ you }}无正当理由逾期未补正。"
            f"根据{REG}第三十条的规定，{{{{ you }}}}的申请视为放弃，本机关不再处理该政府信息公开申请。",
            REASONS,
            REMEDY_NOTICE,
            CONTACT,
        ),
    ),
    DefaultTemplate(
        code="reply_r6_2",
        kind=LetterKind.TERMINATION,
        name="终止处理：逾期未缴纳信息处理费",
        title="政府信息公开申请终止处理告知书",
        article="第四十二条",
        result="r6_2",
        body=_body(
            OPENING_SHORT,
            "本机关已向{{ you }}发出收费通知书{% if fee_sent_on %}（{{ fee_sent_on }}）{% endif %}"
            "{% if fee_pay_by %}，缴费期限为{{ fee_pay_by }}{% endif %}。{{ you }}逾期未按收费通知要求缴纳"
            f"信息处理费。根据{REG}第四十二条和{FEE_MEASURE}的规定，视为{{{{ you }}}}放弃申请，"
            "本机关不再处理{{ you }}的政府信息公开申请。",
            REASONS,
            REMEDY_NOTICE,
            CONTACT,
        ),
    ),
    DefaultTemplate(
        code="reply_r6_3",
        kind=LetterKind.TERMINATION,
        name="终止处理：其他（如申请人撤回申请）",
        title="政府信息公开申请终止处理告知书",
        article=REG,
        result="r6_3",
        body=_body(
            OPENING_SHORT,
            "经确认，{% if reasons %}{{ reasons }}{% else %}{{ you }}已撤回上述申请{% endif %}。"
            f"依照{REG}的有关规定，本机关终止处理{{{{ you }}}}的政府信息公开申请。",
            REMEDY_NOTICE,
            CONTACT,
        ),
    ),
    # -- notices ----------------------------------------------------------------------------
    DefaultTemplate(
        code="correction_notice",
        kind=LetterKind.CORRECTION,
        name="补正告知书",
        title="政府信息公开申请补正告知书",
        article="第三十条",
        body=_body(
            OPENING_SHORT,
            f"经审查，{{{{ you }}}}的申请内容不明确。根据{REG}第二十九条第二款、第三十条的规定，"
            "请{{ you }}对申请作出如下补正：{{ correction_content }}",
            "请{{ you }}{% if correction_period_ends_on %}于{{ correction_period_ends_on }}前{% else %}"
            "在合理期限内{% endif %}将补正后的申请提交本机关。答复期限自本机关收到补正的申请之日起计算。"
            "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
            REMEDY_NOTICE,
            CONTACT,
        ),
    ),
    DefaultTemplate(
        code="extension_notice",
        kind=LetterKind.EXTENSION,
        name="延期答复告知书",
        title="政府信息公开申请延期答复告知书",
        article="第三十三条第二款",
        body=_body(
            OPENING_SHORT,
            "因{% if extension_reason %}{{ extension_reason }}{% else %}所需政府信息需要进一步检索、"
            "核实{% endif %}，本机关不能在法定期限内作出答复。"
            f"根据{REG}第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，"
            "答复期限延长{{ extension_days }}个工作日，本机关将于{{ reply_due_on }}前向{{ you }}作出答复。",
            REMEDY_NOTICE,
            CONTACT,
        ),
    ),
    # 第三十五条: ask for reasons, then (reasons accepted) a later reasonable reply date. A
    # refusal for unreasonable reasons is reply_r5_4 above (docs/decisions/0404).
    DefaultTemplate(
        code="art35_reasons_request",
        kind=LetterKind.REASONS_REQUEST,
        name="说明理由告知书（第三十五条）",
        title="政府信息公开申请说明理由告知书",
        article="第三十五条",
        body=_body(
            OPENING_SHORT,
            "经审查，{% if volume_facts %}{{ volume_facts }}，{% endif %}"
            "{{ you }}申请公开政府信息的数量、频次明显超过合理范围。"
            f"根据{REG}第三十五条的规定，请{{{{ you }}}}"
            "{% if reasons_due_on %}于{{ reasons_due_on }}前{% else %}在收到本告知书后{% endif %}"
            "向本机关书面说明申请理由。",
            "本机关将根据{{ you }}说明的理由依法处理：认为申请理由合理，但是无法在"
            f"{REG}第三十三条规定的期限内答复的，将确定延迟答复的合理期限并告知{{{{ you }}}}；"
            "认为申请理由不合理的，将告知{{ you }}不予处理。",
            REMEDY_NOTICE,
            CONTACT,
        ),
    ),
    DefaultTemplate(
        code="art35_longer_deadline",
        kind=LetterKind.LONGER_DEADLINE,
        name="延迟答复告知书（第三十五条）",
        title="政府信息公开申请延迟答复告知书",
        article="第三十五条",
        body=_body(
            OPENING_SHORT,
            "{{ you }}申请公开政府信息的数量、频次明显超过合理范围，本机关已"
            "{% if reasons_requested_on %}于{{ reasons_requested_on }}{% endif %}要求{{ you }}说明理由。"
            "经审查，本机关认为{{ you }}的申请理由合理，但是无法在"
            f"{REG}第三十三条规定的期限内答复。",
            "{{ longer_deadline_reason }}",
            f"根据{REG}第三十五条的规定，本机关"
            "{% if longer_deadline_decided_on %}于{{ longer_deadline_decided_on }}{% endif %}"
            "确定延迟答复的合理期限，将于{{ reply_due_on }}前向{{ you }}作出答复。",
            REMEDY_NOTICE,
            CONTACT,
        ),
    ),
    DefaultTemplate(
        code="consultation_third_party",
        kind=LetterKind.CONSULTATION_THIRD_PARTY,
        name="征求第三方意见函",
        title="政府信息公开征求第三方意见函",
        article="第三十二条",
        body="\n".join(
            [
                "{{ recipient }}：",
                "本机关于{{ received_on }}收到政府信息公开申请（受理编号：{{ registration_number }}），"
                "申请获取“{{ request }}”。经审查，该政府信息"
                "{% if consultation_subject %}中的“{{ consultation_subject }}”{% endif %}"
                "可能涉及你方商业秘密、个人隐私等合法权益，公开可能损害你方合法权益。"
                f"根据{REG}第三十二条的规定，现书面征求你方意见。",
                "请你方自收到本函之日起15个工作日内"
                "{% if consultation_answer_due %}（即{{ consultation_answer_due }}前）{% endif %}"
                "书面提出是否同意公开的意见；不同意公开的，请说明理由。逾期未提出意见的，"
                f"由本机关依照{REG}的规定决定是否公开。",
                "你方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，"
                "可以决定予以公开，并将决定公开的政府信息内容和理由书面告知你方。",
                CONTACT,
            ]
        ),
    ),
    DefaultTemplate(
        code="third_party_disclosure",
        kind=LetterKind.THIRD_PARTY_DECISION,
        name="决定公开告知第三方书",
        title="政府信息公开决定公开告知第三方书",
        article="第三十二条",
        body="\n".join(
            [
                "{{ recipient }}：",
                "本机关于{{ received_on }}收到政府信息公开申请（受理编号：{{ registration_number }}），"
                "经书面征求意见，你方不同意公开"
                "{% if consultation_subject %}“{{ consultation_subject }}”{% else %}相关政府信息{% endif %}。",
                "经审查，本机关认为不公开可能对公共利益造成重大影响，决定予以公开。"
                "决定公开的政府信息内容：{{ disclosure_content }}。",
                "理由：{{ disclosure_reasons }}",
                f"根据{REG}第三十二条的规定，特此书面告知。",
                CONTACT,
            ]
        ),
    ),
    DefaultTemplate(
        code="consultation_agency",
        kind=LetterKind.CONSULTATION_AGENCY,
        name="征求其他机关意见函",
        title="政府信息公开征求意见函",
        article="第三十四条",
        body="\n".join(
            [
                "{{ recipient }}：",
                "本机关于{{ received_on }}收到政府信息公开申请（受理编号：{{ registration_number }}），"
                "申请获取“{{ request }}”。该政府信息"
                "{% if consultation_subject %}中的“{{ consultation_subject }}”{% endif %}"
                f"由本机关与你单位共同制作。根据{REG}第三十四条的规定，现征求你单位意见。",
                "请你单位自收到本函之日起15个工作日内"
                "{% if consultation_answer_due %}（即{{ consultation_answer_due }}前）{% endif %}"
                "提出意见；逾期未提出意见的，视为同意公开。",
                CONTACT,
            ]
        ),
    ),
    DefaultTemplate(
        code="fee_notice",
        kind=LetterKind.FEE,
        name="收费通知书",
        title="政府信息公开信息处理费收费通知书",
        article="第四十二条",
        body=_body(
            OPENING_SHORT,
            f"根据{REG}第四十二条和{FEE_MEASURE}{{{{ fee_article }}}}的规定，本机关决定对{{{{ you }}}}的申请"
            "收取信息处理费。计收方式：{{ fee_basis }}；计费数量：{{ fee_quantity }}；"
            "收费标准：{{ fee_standard }}；应缴金额：{{ fee_amount }}元。",
            "请{{ you }}自收到本通知书次日起20个工作日内{% if fee_pay_by %}（即{{ fee_pay_by }}前）{% endif %}"
            "缴纳{% if payment_method %}，缴费方式：{{ payment_method }}{% endif %}。"
            "逾期未缴纳的，视为放弃申请，本机关不再处理{{ you }}的政府信息公开申请。",
            REMEDY_NOTICE,
            CONTACT,
        ),
    ),
)

DEFAULTS_BY_CODE: dict[str, DefaultTemplate] = {d.code: d for d in DEFAULTS}


def default_for(code: str) -> DefaultTemplate:
    """Return the shipped default for ``code`` (KeyError if there is none)."""
    return DEFAULTS_BY_CODE[code]


def default_code_for_result(result: str) -> str:
    """Return the code of the default reply template for a table 三 row key."""
    return f"reply_{result}"
