"""Every write of the letters app: issue a letter, save a template version, change the settings,
build a case archive — each checked, in one transaction, and audited.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.permissions import require
from gongkai.accounts.scoping import is_platform_admin
from gongkai.agencies.models import Agency
from gongkai.applications.choices import ConsultationParty, Status, result_full_label
from gongkai.applications.results import letter_fact_error
from gongkai.applications.services import application_record_letter, third_party_notices_missing
from gongkai.applications.services.third_party import objections
from gongkai.core.actors import SYSTEM, Actor, user_of
from gongkai.core.audit import record_audit
from gongkai.letters import archive as archive_format
from gongkai.letters.choices import APPLICANT_FACING, ARTICLE_35_KINDS, LetterKind
from gongkai.letters.defaults import DEFAULTS_BY_CODE
from gongkai.letters.models import (
    CaseArchive,
    Letter,
    LetterSettings,
    LetterTemplate,
    LetterTemplateVersion,
)
from gongkai.letters.numbering import allocate_serial, format_letter_number
from gongkai.letters.placeholders import (
    PLACEHOLDERS,
    case_context,
    clean_text,
    cn_date,
    render_source,
    sample_context,
    validate_template_source,
)
from gongkai.letters.rendering import (
    LetterDocument,
    render_docx,
    render_html_pdf,
    render_pdf,
    split_body,
    tidy_punctuation,
)
from gongkai.letters.selectors import (
    effective_template,
    letter_settings_for,
    suggested_code,
)
from gongkai.letters.storage import delete_quietly, read_bytes, save_bytes, sha256_hex
from gongkai.workcalendar.rules import DEFAULT_RULES, REG2019_IN_FORCE, RuleKey

logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

#: Values a letter of each kind cannot do without.
REQUIRED: dict[str, tuple[str, ...]] = {
    LetterKind.CORRECTION: ("correction_content",),
    LetterKind.EXTENSION: ("extension_days", "reply_due_on"),
    LetterKind.FEE: ("fee_amount",),
    LetterKind.LONGER_DEADLINE: ("longer_deadline_decided_on", "reply_due_on"),
    LetterKind.CONSULTATION_THIRD_PARTY: ("recipient",),
    LetterKind.CONSULTATION_AGENCY: ("recipient",),
    LetterKind.THIRD_PARTY_DECISION: ("recipient", "disclosure_content", "disclosure_reasons"),
}
REMEDY_WORDS = ("行政复议", "行政诉讼")


# -- templates -----------------------------------------------------------------------------


def platform_template_sync(code: str) -> LetterTemplateVersion:
    """Return the platform's version in use for ``code``, creating or refreshing it.

    The shipped default becomes platform version 1; when a later release changes the shipped
    text, a new platform version is added — unless a platform admin edited it (then theirs
    stays). Agencies' own templates are never touched.
    """
    default = DEFAULTS_BY_CODE[code]
    for _attempt in range(3):
        try:
            with transaction.atomic():
                template, _created = LetterTemplate.objects.get_or_create(
                    agency=None, code=code, defaults={"kind": default.kind, "name": default.name}
                )
                latest = template.latest_version()
                if latest is not None and (
                    not latest.source_digest or latest.source_digest == default.digest
                ):
                    return latest
                version = LetterTemplateVersion.objects.create(
                    template=template,
                    number=(latest.number + 1) if latest else 1,
                    title=default.title,
                    body=default.body,
                    note="平台默认文本",
                    source_digest=default.digest,
                )
                record_audit(
                    action="letter_template.sync",
                    target=version,
                    after={"code": code, "version": version.number, "digest": default.digest},
                )
                return version
        except IntegrityError:
            continue  # a concurrent issuer created it; read again
    raise RuntimeError(f"could not create the platform template {code}")


def check_template_text(code: str, title: str, body: str) -> None:
    """Refuse a template text that does not render, or an applicant letter without remedies."""
    validate_template_source(title, field="title")
    validate_template_source(body, field="body")
    default = DEFAULTS_BY_CODE[code]
    if default.kind in APPLICANT_FACING and not all(w in body for w in REMEDY_WORDS):
        raise ValidationError(
            {"body": _("答复书和告知书须告知救济途径（申请行政复议、提起行政诉讼）及其期限。")}
        )
    if not title.strip() or not body.strip():
        raise ValidationError(_("标题和正文不能为空。"))


def template_preview(code: str, title: str, body: str) -> str:
    """The text a template would give for a sample case (checked like a saved one)."""
    check_template_text(code, title, body)
    ctx = sample_context()
    salutation, paragraphs = split_body(render_source(body, ctx))
    return "\n".join([render_source(title, ctx), salutation, *paragraphs])


def letter_template_save(
    *, by: Actor, agency: Agency | None, code: str, title: str, body: str, note: str = ""
) -> LetterTemplateVersion:
    """Save a new version of ``agency``'s template ``code`` (None: the platform's), audited.

    Old versions are kept; letters keep pointing at the version they used. Saving the same
    text as the version in use adds nothing and returns that version.
    """
    if code not in DEFAULTS_BY_CODE:
        raise ValidationError(_("没有这个模板。"))
    if agency is None:
        if by is not SYSTEM and not is_platform_admin(by):
            raise PermissionDenied
    else:
        require(by, "letter.template_change", agency, allow={SYSTEM})
    title = title.replace("\r\n", "\n").strip()
    body = body.replace("\r\n", "\n").strip()
    check_template_text(code, title, body)
    default = DEFAULTS_BY_CODE[code]
    with transaction.atomic():
        template, _created = LetterTemplate.objects.get_or_create(
            agency=agency, code=code, defaults={"kind": default.kind, "name": default.name}
        )
        template = LetterTemplate.objects.select_for_update().get(pk=template.pk)
        latest = template.latest_version()
        if latest is not None and latest.title == title and latest.body == body:
            return latest
        version = LetterTemplateVersion.objects.create(
            template=template,
            number=(latest.number + 1) if latest else 1,
            title=title,
            body=body,
            note=note[:200],
            created_by=user_of(by),
        )
        record_audit(
            action="letter_template.save",
            actor=by,
            target=version,
            agency=agency,
            before={"version": latest.number, "body_sha256": sha256_hex(latest.body.encode())}
            if latest
            else None,
            after={
                "code": code,
                "version": version.number,
                "title": title,
                "body_sha256": sha256_hex(body.encode()),
                "note": note[:200],
            },
        )
    return version


def letter_settings_save(
    *, by: Actor, agency: Agency, number_prefix: str, signer_name: str = "", review_body: str = ""
) -> LetterSettings:
    """Set the agency's letter number prefix, signature and review body, audited."""
    require(by, "letter.template_change", agency, allow={SYSTEM})
    number_prefix = number_prefix.strip()
    if not number_prefix or re.search(r"[〔〕\[\]\s]", number_prefix):
        raise ValidationError(
            {"number_prefix": _("请填写发文字号前缀（不含年份、括号和空格），如“临府办依告”。")}
        )
    fields = ["number_prefix", "signer_name", "review_body"]
    with transaction.atomic():
        row = LetterSettings.objects.select_for_update().filter(agency=agency).first()
        before = {f: getattr(row, f) for f in fields} if row else None
        row = row or LetterSettings(agency=agency)
        row.number_prefix = number_prefix
        row.signer_name = signer_name.strip()
        row.review_body = review_body.strip()
        row.full_clean()
        row.save()
        record_audit(
            action="letter_settings.save",
            actor=by,
            target=row,
            agency=agency,
            before=before,
            after={f: getattr(row, f) for f in fields},
        )
    return row


# -- letters -------------------------------------------------------------------------------


def _document(
    *, title: str, body: str, number: str, signer: str, issued_on: dt.date
) -> LetterDocument:
    salutation, paragraphs = split_body(body)
    return LetterDocument(
        title=clean_text(title),
        number=number,
        salutation=salutation,
        paragraphs=paragraphs,
        signer=signer,
        date=cn_date(issued_on),
    )


def regulation_2008_refusal(application: Any) -> str | None:
    """Why no platform letter can be issued for a case under the 2008 Regulations (decision 1605).

    The platform's texts cite the 2019 Regulations (第三十条 … 第四十二条); a case received before
    2019-05-15 is governed by the 2008 text, whose articles and periods differ (答复 15 + 15
    working days under its 第二十四条). Issuing would cite provisions that did not apply.
    """
    if application.received_on is None or application.received_on >= REG2019_IN_FORCE:
        return None
    return _(
        "本案于%(day)s收到，早于现行《中华人民共和国政府信息公开条例》施行之日（2019年5月15日），"
        "适用2008年5月1日施行的《条例》（例如答复期限为15个工作日、延长不超过15个工作日，"
        "依其第二十四条）。平台的文书模板引用现行《条例》的条款，不能用于本案，请依2008年《条例》另行制作。"
    ) % {"day": f"{application.received_on:%Y年%m月%d日}"}


def _objecting_party(application: Any) -> Any:
    """The first third party that objected and has not been told yet (else the first one)."""
    found = third_party_notices_missing(application) or objections(application)
    if not found:
        raise ValidationError(
            _("本案没有第三方不同意公开的意见，不能制发决定公开告知第三方书（第三十二条）。")
        )
    return found[0]


def _prepare(
    *,
    application: Any,
    kind: str,
    code: str | None,
    issued_on: dt.date,
    facts: dict[str, Any] | None,
    consultation: Any,
    fee_notice: Any,
) -> tuple[str, dict[str, Any], Any]:
    code = code or suggested_code(application=application, kind=kind)
    if not code:
        raise ValidationError(_("案件尚未确定办理结果，请选择答复模板。"))
    default = DEFAULTS_BY_CODE.get(code)
    if default is None:
        raise ValidationError(_("没有这个模板。"))
    if kind and default.kind != kind:
        raise ValidationError(_("所选模板与文书类型不符。"))
    if default.kind in ARTICLE_35_KINDS:
        if DEFAULT_RULES.find(RuleKey.LONGER_DEADLINE, application.received_on) is None:
            raise ValidationError(_("第三十五条自2019年5月15日起施行，本案不适用。"))
    refusal = regulation_2008_refusal(application)
    if refusal:
        raise ValidationError(refusal)
    evidence = letter_fact_error(application, default.result) if default.result else None
    if evidence:
        raise ValidationError(evidence)
    agency = application.agency
    letter_settings = letter_settings_for(agency)
    if consultation is None and default.kind in (
        LetterKind.CONSULTATION_THIRD_PARTY,
        LetterKind.CONSULTATION_AGENCY,
    ):
        party = (
            ConsultationParty.THIRD_PARTY
            if default.kind == LetterKind.CONSULTATION_THIRD_PARTY
            else ConsultationParty.AGENCY
        )
        consultation = (
            application.consultations.filter(party=party).order_by("-sent_on", "-id").first()
        )
    if default.kind == LetterKind.THIRD_PARTY_DECISION:
        consultation = consultation or _objecting_party(application)
    context = case_context(
        application=application,
        agency=agency,
        review_body=letter_settings.review_body,
        issued_on=issued_on,
        facts=facts,
        consultation=consultation,
        fee_notice=fee_notice,
    )
    if default.kind == LetterKind.LONGER_DEADLINE and not context.get("longer_deadline_decided_on"):
        raise ValidationError(
            _("负责人尚未确定延迟答复的合理期限（第三十五条），不能制发延迟答复告知书。")
        )
    missing = [PLACEHOLDERS[n].label for n in REQUIRED.get(default.kind, ()) if not context.get(n)]
    if missing:
        raise ValidationError(_("缺少：%(fields)s。") % {"fields": "、".join(missing)})
    return code, context, letter_settings


def letter_preview(
    *,
    application: Any,
    kind: str = "",
    code: str | None = None,
    issued_on: dt.date | None = None,
    facts: dict[str, Any] | None = None,
    consultation: Any = None,
    fee_notice: Any = None,
) -> LetterDocument:
    """Render the letter that ``letter_issue`` would make, without a number; changes nothing."""
    issued_on = issued_on or timezone.localdate()
    code, context, letter_settings = _prepare(
        application=application,
        kind=kind,
        code=code,
        issued_on=issued_on,
        facts=facts,
        consultation=consultation,
        fee_notice=fee_notice,
    )
    template = effective_template(agency=application.agency, code=code)
    prefix = letter_settings.number_prefix
    return _document(
        title=render_source(template.title, context),
        body=render_source(template.body, context),
        number=f"{prefix}〔{issued_on.year}〕  号",
        signer=letter_settings.signer_name,
        issued_on=issued_on,
    )


def letter_issue(
    *,
    application: Any,
    kind: str,
    by: Actor,
    code: str | None = None,
    issued_on: dt.date | None = None,
    facts: dict[str, Any] | None = None,
    consultation: Any = None,
    fee_notice: Any = None,
) -> Letter:
    """Issue a letter of ``kind`` for ``application``: number it, render DOCX and PDF, audit it.

    ``code`` picks the template (default: the case's result row for replies, the notice's
    template otherwise); ``facts`` are values typed in by the officer (reasons, correction
    content, …, see ``placeholders.FACT_NAMES``). The agency's own template is used if it has
    one, else the platform's; the letter records the version. The number is allocated in the
    same transaction, so a failed issue leaves no gap.
    """
    agency = application.agency
    require(by, "letter.issue", agency)
    issued_on = issued_on or timezone.localdate()
    code, context, letter_settings = _prepare(
        application=application,
        kind=kind,
        code=code,
        issued_on=issued_on,
        facts=facts,
        consultation=consultation,
        fee_notice=fee_notice,
    )
    default = DEFAULTS_BY_CODE[code]
    written: list[str] = []
    try:
        with transaction.atomic():
            template = effective_template(agency=agency, code=code)
            version = template.version if template.source == "agency" else None
            version = version or platform_template_sync(code)
            title = clean_text(render_source(version.title, context))
            body = tidy_punctuation(render_source(version.body, context))
            serial = allocate_serial(agency, issued_on.year)
            number = format_letter_number(letter_settings.number_prefix, issued_on.year, serial)
            doc = _document(
                title=title,
                body=body,
                number=number,
                signer=letter_settings.signer_name,
                issued_on=issued_on,
            )
            docx_bytes = render_docx(doc)
            pdf_bytes = render_pdf(doc)
            base = f"letters/{agency.pk}/{issued_on.year}/{serial:05d}-{code}"
            docx_name = save_bytes(f"{base}.docx", docx_bytes)
            written.append(docx_name)
            pdf_name = save_bytes(f"{base}.pdf", pdf_bytes)
            written.append(pdf_name)
            letter = Letter.objects.create(
                agency=agency,
                application=application,
                kind=default.kind,
                template_code=code,
                template_version=version,
                year=issued_on.year,
                serial=serial,
                number=number,
                title=title,
                recipient=doc.salutation.rstrip("：:"),
                body="\n".join(doc.paragraphs),
                signer=doc.signer,
                issued_on=issued_on,
                context=context,
                docx_file=docx_name,
                docx_sha256=sha256_hex(docx_bytes),
                pdf_file=pdf_name,
                pdf_sha256=sha256_hex(pdf_bytes),
                issued_by=user_of(by),
            )
            # The case's timeline shows the letter (same transaction: both or neither).
            application_record_letter(by=by, application=application, letter=letter)
            record_audit(
                action="letter.issue",
                actor=by,
                target=letter,
                agency=agency,
                after={
                    "application": application.registration_number,
                    "number": number,
                    "kind": default.kind,
                    "template": code,
                    "template_version": version.pk,
                    "docx_sha256": letter.docx_sha256,
                    "pdf_sha256": letter.pdf_sha256,
                },
            )
    except BaseException:
        for name in written:
            delete_quietly(name)
        raise
    return letter


def letter_document(letter: Letter) -> LetterDocument:
    """Rebuild the renderer's view of an issued letter from its stored text."""
    return LetterDocument(
        title=letter.title,
        number=letter.number,
        salutation=f"{letter.recipient}：" if letter.recipient else "",
        paragraphs=[p for p in letter.body.split("\n") if p],
        signer=letter.signer,
        date=cn_date(letter.issued_on),
    )


# -- archive -------------------------------------------------------------------------------


def _safe(text: str) -> str:
    return re.sub(r"[^\w\-〔〕（）]", "_", text)[:80]


def _attachments(application: Any) -> list[tuple[str, bytes]]:
    """Files attached to the case, if the applications app has them (``attachments``)."""
    manager = getattr(application, "attachments", None)
    if manager is None or not hasattr(manager, "all"):
        return []
    found = []
    for n, attachment in enumerate(manager.all(), 1):
        stored = getattr(attachment, "file", None)
        if not stored:
            continue
        with stored.open("rb") as fh:
            data = fh.read()
        name = str(stored.name).rsplit("/", 1)[-1]
        found.append((f"attachments/{n:02d}-{_safe(name)}", data))
    return found


def archive_build(*, application: Any, by: Actor) -> CaseArchive:
    """Build the sealed ZIP of a closed case (归档), store it under MEDIA_ROOT and audit it.

    Members: the application (PDF), every letter (DOCX and PDF, checked against the hashes
    recorded at issue), the case's attachments if it has any, the event timeline (PDF), and
    the manifest with the SHA-256 of each file plus ``manifest.sha256``.
    """
    agency = application.agency
    require(by, "letter.archive", agency, allow={SYSTEM})
    if application.status != Status.CLOSED:
        raise ValidationError(_("只有已办结的案件才能归档。"))
    letters = list(Letter.objects.filter(application=application).order_by("issued_on", "serial"))
    events = list(application.events.select_related("actor").order_by("seq"))
    members: list[tuple[str, bytes]] = []
    common = {"application": application, "agency": agency, "printed_at": timezone.now()}
    members.append(
        (
            "application.pdf",
            render_html_pdf(
                "letters/pdf/application.html",
                {**common, "items": list(application.items.all())},
            ),
        )
    )
    letter_meta = []
    for n, letter in enumerate(letters, 1):
        files = []
        for fmt, name, digest in (
            ("docx", letter.docx_file, letter.docx_sha256),
            ("pdf", letter.pdf_file, letter.pdf_sha256),
        ):
            data = read_bytes(name)
            if sha256_hex(data) != digest:
                raise ValidationError(
                    _("告知书 %(number)s 的文件已被改动，无法归档。") % {"number": letter.number}
                )
            path = f"letters/{n:02d}-{_safe(letter.number)}-{_safe(letter.title)}.{fmt}"
            members.append((path, data))
            files.append(path)
        letter_meta.append(
            {
                "number": letter.number,
                "title": letter.title,
                "kind": letter.kind,
                "issued_on": letter.issued_on.isoformat(),
                "template_code": letter.template_code,
                "template_version": letter.template_version.number,
                "files": files,
            }
        )
    members.extend(_attachments(application))
    # responses.delivery builds on letters (package, renderer): it loads after this module
    from gongkai.responses.delivery import archive_members

    response_members, response_meta = archive_members(application)
    members.extend(response_members)
    members.append(
        (
            "timeline.pdf",
            render_html_pdf(
                "letters/pdf/timeline.html", {**common, "events": events, "letters": letters}
            ),
        )
    )
    record = CaseArchive(agency=agency, application=application, built_by=user_of(by))
    meta = {
        "archive_id": str(record.uid),
        "built_at": timezone.now().isoformat(),
        "agency": {"name": agency.name, "credit_code": agency.credit_code},
        "application": {
            "registration_number": application.registration_number,
            "received_on": application.received_on.isoformat(),
            "status": application.status,
            "result": application.result,
            "result_label": result_full_label(application.result) if application.result else "",
            "closed_on": application.closed_on.isoformat() if application.closed_on else None,
        },
        "letters": letter_meta,
        "responses": response_meta,
    }
    zip_bytes, manifest_hash = archive_format.build_zip(members, meta)
    year = (application.closed_on or application.received_on).year
    name = f"archives/{agency.pk}/{year}/{_safe(application.registration_number)}-{record.uid.hex[:8]}.zip"
    stored = save_bytes(name, zip_bytes)
    try:
        with transaction.atomic():
            record.file = stored
            record.sha256 = sha256_hex(zip_bytes)
            record.manifest_sha256 = manifest_hash
            record.size = len(zip_bytes)
            record.member_count = len(members)
            record.save()
            record_audit(
                action="letter.archive",
                actor=by,
                target=record,
                agency=agency,
                after={
                    "application": application.registration_number,
                    "sha256": record.sha256,
                    "manifest_sha256": manifest_hash,
                    "members": len(members),
                },
            )
    except BaseException:
        delete_quietly(stored)
        raise
    return record
