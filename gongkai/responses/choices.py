"""Every coded value of response documents (the single home of these values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FileKind(models.TextChoices):
    """Formats accepted as response documents, detected from the file's content."""

    PDF = "PDF", "PDF"
    DOCX = "DOCX", "Word (DOCX)"
    XLSX = "XLSX", "Excel (XLSX)"
    PNG = "PNG", _("PNG 图片")
    JPEG = "JPEG", _("JPEG 图片")
    TIFF = "TIFF", _("TIFF 图片")


class RedactionReason(models.TextChoices):
    """Legal basis of one redaction mark (区分处理, 《条例》第三十七条).

    The labels are the spec's wording: the 2021 report rows of 不予公开 (第十四条、第十六条;
    第三十六条第（七）项 for 行政查询事项), the pre-2019 statistics form for 第十五条, which
    names 商业秘密 and 个人隐私 separately (the 2021 row "保护第三方合法权益" covers both), and
    for content that is not government information at all (第三十七条 "不属于政府信息的内容")
    the same form's "不是《条例》所指政府信息". See docs/decisions/1701-redaction-engine.md.
    """

    STATE_SECRET = "STATE_SECRET", _("属于国家秘密（第十四条）")
    LAW_PROHIBITED = "LAW_PROHIBITED", _("其他法律行政法规禁止公开（第十四条）")
    SAFETY_STABILITY = "SAFETY_STABILITY", _("危及“三安全一稳定”（第十四条）")
    TRADE_SECRET = "TRADE_SECRET", _("涉及商业秘密（第十五条）")
    PERSONAL_PRIVACY = "PERSONAL_PRIVACY", _("涉及个人隐私（第十五条）")
    INTERNAL_AFFAIRS = "INTERNAL_AFFAIRS", _("属于三类内部事务信息（第十六条第一款）")
    PROCESS_INFO = "PROCESS_INFO", _("属于四类过程性信息（第十六条第二款）")
    ENFORCEMENT_FILE = "ENFORCEMENT_FILE", _("属于行政执法案卷（第十六条第二款）")
    ADMINISTRATIVE_QUERY = "ADMINISTRATIVE_QUERY", _("属于行政查询事项（第三十六条第（七）项）")
    NOT_GOVERNMENT_INFO = "NOT_GOVERNMENT_INFO", _("不是《条例》所指政府信息（第三十七条）")


#: The article of 《中华人民共和国政府信息公开条例》 each reason rests on (区分处理说明).
REASON_ARTICLES: dict[str, str] = {
    RedactionReason.STATE_SECRET: "第十四条",
    RedactionReason.LAW_PROHIBITED: "第十四条",
    RedactionReason.SAFETY_STABILITY: "第十四条",
    RedactionReason.TRADE_SECRET: "第十五条",
    RedactionReason.PERSONAL_PRIVACY: "第十五条",
    RedactionReason.INTERNAL_AFFAIRS: "第十六条第一款",
    RedactionReason.PROCESS_INFO: "第十六条第二款",
    RedactionReason.ENFORCEMENT_FILE: "第十六条第二款",
    RedactionReason.ADMINISTRATIVE_QUERY: "第三十六条第（七）项",
    RedactionReason.NOT_GOVERNMENT_INFO: "第三十七条",
}


class MarkSource(models.TextChoices):
    """How a redaction mark was made."""

    BOX = "BOX", _("框选")
    TEXT_SEARCH = "TEXT_SEARCH", _("文字查找")
    PATTERN = "PATTERN", _("模式查找")
    PERSONAL_DATA = "PERSONAL_DATA", _("个人信息检测")


class ProblemKind(models.TextChoices):
    """What the check of a redacted file found wrong (approval is refused on any)."""

    UNREADABLE = "UNREADABLE", _("文件无法读取")
    PAGE_COUNT = "PAGE_COUNT", _("页数与原件不符")
    TEXT_UNDER_MARK = "TEXT_UNDER_MARK", _("遮盖处仍有可提取的文字")
    MARKED_TEXT_FOUND = "MARKED_TEXT_FOUND", _("遮盖的文字仍可从文件中提取")
    IMAGE_UNDER_MARK = "IMAGE_UNDER_MARK", _("遮盖处图像未清除")
    CONTENT_UNDER_MARK = "CONTENT_UNDER_MARK", _("遮盖处仍有其他内容")
    METADATA = "METADATA", _("文件含有元数据")
    ANNOTATIONS = "ANNOTATIONS", _("文件含有批注或表单")
    EMBEDDED_FILES = "EMBEDDED_FILES", _("文件含有附件")
    SCRIPTS = "SCRIPTS", _("文件含有脚本或动作")
    HIDDEN_OBJECTS = "HIDDEN_OBJECTS", _("文件含有未引用的对象")


class DocumentSource(models.TextChoices):
    """Where a response document comes from."""

    UPLOAD = "UPLOAD", _("上传文件")
    CATALOGUE = "CATALOGUE", _("已公开的目录条目")


class DocumentStatus(models.TextChoices):
    """Where a response document stands (every change through ``responses.workflow``)."""

    CONVERTING = "CONVERTING", _("正在转换")
    FAILED = "FAILED", _("转换失败")
    DRAFT = "DRAFT", _("待生成")
    READY = "READY", _("已生成")
    REMOVED = "REMOVED", _("已移除")


#: Statuses of a document that is part of the response (not removed).
ACTIVE_DOCUMENT_STATUSES = frozenset(
    {DocumentStatus.CONVERTING, DocumentStatus.FAILED, DocumentStatus.DRAFT, DocumentStatus.READY}
)
#: Statuses in which the redaction plan may be edited and the output rendered.
PLANNABLE_STATUSES = frozenset({DocumentStatus.DRAFT, DocumentStatus.READY})


class DownloadChannel(models.TextChoices):
    """Who fetched a provided file, and where."""

    PORTAL = "PORTAL", _("申请人网上下载")
    OFFICE = "OFFICE", _("工作人员下载")
    PACKAGE = "PACKAGE", _("打印送达包")
