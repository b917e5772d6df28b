"""Every status and coded value of the catalogue (the single home of these values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemStatus(models.TextChoices):
    """Where an item stands in the publishing workflow."""

    DRAFT = "DRAFT", _("草稿")
    IN_REVIEW = "IN_REVIEW", _("保密审查中")
    AWAITING_APPROVAL = "AWAITING_APPROVAL", _("待负责人审批")
    SCHEDULED = "SCHEDULED", _("定时发布")
    PUBLISHED = "PUBLISHED", _("已发布")
    CATALOGUED = "CATALOGUED", _("已编目（不主动公开）")
    WITHDRAWN = "WITHDRAWN", _("已撤回")


class DisclosureAttribute(models.TextChoices):
    """公开属性, decided when the document is drafted."""

    PROACTIVE = "PROACTIVE", _("主动公开")
    ON_APPLICATION = "ON_APPLICATION", _("依申请公开")
    NOT_DISCLOSED = "NOT_DISCLOSED", _("不予公开")


class NonDisclosureGround(models.TextChoices):
    """Legal ground for 不予公开 (《条例》第十四条至第十六条)."""

    STATE_SECRET = "STATE_SECRET", _("属于国家秘密（第十四条）")
    LAW_PROHIBITED = "LAW_PROHIBITED", _("其他法律行政法规禁止公开（第十四条）")
    SAFETY_STABILITY = "SAFETY_STABILITY", _("危及“三安全一稳定”（第十四条）")
    THIRD_PARTY = "THIRD_PARTY", _("保护第三方合法权益（第十五条）")
    INTERNAL_AFFAIRS = "INTERNAL_AFFAIRS", _("属于三类内部事务信息（第十六条第一款）")
    PROCESS_INFO = "PROCESS_INFO", _("属于四类过程性信息（第十六条第二款）")
    ENFORCEMENT_FILE = "ENFORCEMENT_FILE", _("属于行政执法案卷（第十六条第二款）")


class Validity(models.TextChoices):
    """有效性 of a document."""

    IN_FORCE = "IN_FORCE", _("现行有效")
    AMENDED = "AMENDED", _("已修改")
    REPEALED = "REPEALED", _("已废止")
    EXPIRED = "EXPIRED", _("已失效")


#: Validity values under which a document still counts as 现行有效 in table 二.
IN_FORCE_VALIDITIES = frozenset({Validity.IN_FORCE, Validity.AMENDED})
#: Validity values that count as 废止 in table 二 (natural expiry included, as reports do).
ABOLISHED_VALIDITIES = frozenset({Validity.REPEALED, Validity.EXPIRED})


class Channel(models.TextChoices):
    """Channels a piece of information went out on (《条例》第二十三条至第二十五条)."""

    WEBSITE = "WEBSITE", _("网站")
    GAZETTE = "GAZETTE", _("公报")
    WEIBO = "WEIBO", _("政务微博")
    WECHAT = "WECHAT", _("政务微信")
    NOTICE_BOARD = "NOTICE_BOARD", _("公开栏")
    READING_POINT = "READING_POINT", _("查阅点")
    PRESS_CONFERENCE = "PRESS_CONFERENCE", _("新闻发布会")
    OTHER = "OTHER", _("其他")


class StatutoryItem(models.IntegerChoices):
    """The 第二十条 item an entry discloses (法定主动公开内容)."""

    RULES = 1, _("第二十条第（一）项 行政法规、规章和规范性文件")
    ORGANISATION = (
        2,
        _("第二十条第（二）项 机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"),
    )
    PLANS = 3, _("第二十条第（三）项 国民经济和社会发展规划、专项规划、区域规划及相关政策")
    STATISTICS = 4, _("第二十条第（四）项 国民经济和社会发展统计信息")
    LICENSING = 5, _("第二十条第（五）项 行政许可和其他对外管理服务事项")
    PENALTY = 6, _("第二十条第（六）项 行政处罚、行政强制")
    BUDGET = 7, _("第二十条第（七）项 财政预算、决算信息")
    FEES = 8, _("第二十条第（八）项 行政事业性收费项目及其依据、标准")
    PROCUREMENT = 9, _("第二十条第（九）项 政府集中采购")
    PROJECTS = 10, _("第二十条第（十）项 重大建设项目的批准和实施情况")
    WELFARE = 11, _("第二十条第（十一）项 扶贫、教育、医疗、社会保障、促进就业")
    EMERGENCY = 12, _("第二十条第（十二）项 突发公共事件的应急预案、预警信息及应对情况")
    INSPECTION = (
        13,
        _("第二十条第（十三）项 环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"),
    )
    RECRUITMENT = 14, _("第二十条第（十四）项 公务员招考")
    OTHER = 15, _("第二十条第（十五）项 其他应当主动公开的政府信息")


class StructuredKind(models.TextChoices):
    """Kinds of item that feed report table 二 (blank for all others)."""

    NONE = "", _("—")
    REGULATION = "REGULATION", _("规章")
    NORMATIVE = "NORMATIVE", _("行政规范性文件")
    LICENSING = "LICENSING", _("行政许可")
    OTHER_SERVICE = "OTHER_SERVICE", _("其他对外管理服务事项")
    PENALTY = "PENALTY", _("行政处罚")
    ENFORCEMENT = "ENFORCEMENT", _("行政强制")
    FEE = "FEE", _("行政事业性收费")
    PROCUREMENT = "PROCUREMENT", _("政府集中采购")


#: Document kinds counted as issued / abolished / in force.
DOCUMENT_KINDS = frozenset({StructuredKind.REGULATION, StructuredKind.NORMATIVE})
#: Kinds whose items are individual decisions (one item = one decision).
DECISION_KINDS = frozenset(
    {
        StructuredKind.LICENSING,
        StructuredKind.OTHER_SERVICE,
        StructuredKind.PENALTY,
        StructuredKind.ENFORCEMENT,
    }
)


class CountMetric(models.TextChoices):
    """What a periodic count measures."""

    DECISIONS = "DECISIONS", _("处理决定数量")
    MATTERS = "MATTERS", _("项目数量")
    AMOUNT = "AMOUNT", _("金额（元）")


class Genre(models.TextChoices):
    """体裁 (document genre)."""

    NOTICE = "NOTICE", _("通知")
    OPINION = "OPINION", _("意见")
    MEASURES = "MEASURES", _("办法")
    PROVISIONS = "PROVISIONS", _("规定")
    RULES = "RULES", _("细则")
    DECISION = "DECISION", _("决定")
    ANNOUNCEMENT = "ANNOUNCEMENT", _("公告")
    PUBLIC_NOTICE = "PUBLIC_NOTICE", _("通告")
    CIRCULAR = "CIRCULAR", _("通报")
    PLAN = "PLAN", _("规划")
    SCHEME = "SCHEME", _("方案")
    WORK_PLAN = "WORK_PLAN", _("计划")
    REPORT = "REPORT", _("报告")
    REPLY = "REPLY", _("批复")
    LETTER = "LETTER", _("函")
    BUDGET = "BUDGET", _("预算")
    FINAL_ACCOUNTS = "FINAL_ACCOUNTS", _("决算")
    ORDER = "ORDER", _("令")
    INTERPRETATION = "INTERPRETATION", _("解读")
    RECORD = "RECORD", _("公示")
    OTHER = "OTHER", _("其他")


class PortalColumn(models.TextChoices):
    """Which column of the 政府信息公开 section an item belongs to."""

    STATUTORY = "STATUTORY", _("法定主动公开内容")
    RULES = "RULES", _("政府信息公开制度")
    ANNUAL_REPORT = "ANNUAL_REPORT", _("政府信息公开年报")


class ReviewResult(models.TextChoices):
    """Outcome of the 保密审查."""

    PASS = "PASS", _("同意公开")
    RETURN = "RETURN", _("退回修改")


class FindingKind(models.TextChoices):
    """What the personal-data / sensitive-content scan (错敏检测) found."""

    ID_NUMBER = "ID_NUMBER", _("居民身份证号码")
    MOBILE = "MOBILE", _("手机号码")
    BANK_CARD = "BANK_CARD", _("银行卡号")
    EMAIL = "EMAIL", _("电子邮箱")
    SENSITIVE = "SENSITIVE", _("敏感表述")
    MISTAKEN = "MISTAKEN", _("易错表述")


class FindingStatus(models.TextChoices):
    """Whether a finding still blocks approval."""

    OPEN = "OPEN", _("待处理")
    FIXED = "FIXED", _("已修改")
    WAIVED = "WAIVED", _("已确认无误")


#: Finding statuses that let approval go ahead.
SETTLED_FINDING_STATUSES = frozenset({FindingStatus.FIXED, FindingStatus.WAIVED})


class TermKind(models.TextChoices):
    """Kinds of entry in a platform's expression list."""

    SENSITIVE = "SENSITIVE", _("敏感表述")
    MISTAKEN = "MISTAKEN", _("易错表述")


class AttachmentKind(models.TextChoices):
    """Accepted attachment formats, detected from the file's content."""

    PDF = "PDF", "PDF"
    DOCX = "DOCX", "Word (DOCX)"
    XLSX = "XLSX", "Excel (XLSX)"
    PNG = "PNG", _("PNG 图片")
    JPEG = "JPEG", _("JPEG 图片")
    GIF = "GIF", _("GIF 图片")


class EventKind(models.TextChoices):
    """Steps of an item's visible history."""

    CREATED = "CREATED", _("起草")
    EDITED = "EDITED", _("修改草稿")
    SUBMITTED = "SUBMITTED", _("提交保密审查")
    REVIEWED = "REVIEWED", _("保密审查")
    RETURNED = "RETURNED", _("退回修改")
    APPROVED = "APPROVED", _("负责人审批通过")
    REJECTED = "REJECTED", _("负责人退回")
    SCHEDULED = "SCHEDULED", _("定时发布")
    PUBLISHED = "PUBLISHED", _("发布")
    CATALOGUED = "CATALOGUED", _("编目（不主动公开）")
    REVISED = "REVISED", _("修订（新版本）")
    WITHDRAWN = "WITHDRAWN", _("撤回")
    VALIDITY = "VALIDITY", _("有效性变更")
    IMPORTED = "IMPORTED", _("迁移导入")
    WAIVED = "WAIVED", _("确认检测结果无误")
