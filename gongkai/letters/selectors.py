"""Reads for letters, templates and archives (views and other apps call these)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from gongkai.accounts.permissions import agencies_for
from gongkai.agencies.models import Agency
from gongkai.applications.deadlines import longer_deadline_decision
from gongkai.core.actors import Actor
from gongkai.letters.choices import RESULT_KINDS, LetterKind
from gongkai.letters.defaults import DEFAULTS, DEFAULTS_BY_CODE, DefaultTemplate
from gongkai.letters.models import (
    CaseArchive,
    Letter,
    LetterSettings,
    LetterTemplate,
    LetterTemplateVersion,
)
from gongkai.letters.numbering import default_prefix
from gongkai.letters.placeholders import default_review_body


def letters_for_case(*, application: Any) -> QuerySet[Letter]:
    """The letters issued for a case, oldest first."""
    return Letter.objects.filter(application=application).select_related("template_version")


def archives_for_case(*, application: Any) -> QuerySet[CaseArchive]:
    """The archives built for a case, newest first."""
    return CaseArchive.objects.filter(application=application).order_by("-built_at")


@dataclass(frozen=True)
class EffectiveTemplate:
    """The text an agency would use now for ``code``, and where it comes from."""

    default: DefaultTemplate
    title: str
    body: str
    version: LetterTemplateVersion | None
    source: str  # "agency", "platform" or "default"

    @property
    def code(self) -> str:
        """The template code."""
        return self.default.code


def _latest(agency: Agency | None, code: str) -> LetterTemplateVersion | None:
    qs = LetterTemplateVersion.objects.filter(template__code=code)
    qs = qs.filter(template__agency=agency) if agency else qs.filter(template__agency__isnull=True)
    return qs.select_related("template").order_by("-number").first()


def effective_template(*, agency: Agency, code: str) -> EffectiveTemplate:
    """The agency's own latest version, else the platform's, else the shipped default.

    Read-only: the platform row is created (and kept in step with the shipped text) by
    ``services.platform_template_sync`` when a letter is issued.
    """
    default = DEFAULTS_BY_CODE[code]
    own = _latest(agency, code)
    if own is not None:
        return EffectiveTemplate(default, own.title, own.body, own, "agency")
    platform = _latest(None, code)
    if platform is not None and not (
        platform.source_digest and platform.source_digest != default.digest
    ):
        return EffectiveTemplate(default, platform.title, platform.body, platform, "platform")
    return EffectiveTemplate(default, default.title, default.body, None, "default")


def templates_for_agency(*, agency: Agency) -> list[EffectiveTemplate]:
    """Every template code with the text the agency uses, in the shipped order."""
    own = {
        v.template.code: v
        for v in LetterTemplateVersion.objects.filter(template__agency=agency)
        .select_related("template")
        .order_by("template__code", "number")
    }
    rows = []
    for default in DEFAULTS:
        version = own.get(default.code)
        if version is not None:
            rows.append(EffectiveTemplate(default, version.title, version.body, version, "agency"))
        else:
            rows.append(effective_template(agency=agency, code=default.code))
    return rows


def template_versions(*, agency: Agency, code: str) -> QuerySet[LetterTemplateVersion]:
    """All saved versions of the agency's own template ``code``, newest first."""
    return (
        LetterTemplateVersion.objects.filter(template__agency=agency, template__code=code)
        .select_related("created_by")
        .order_by("-number")
    )


def codes_for_kind(kind: str) -> list[str]:
    """The template codes of a letter kind, in the shipped order."""
    return [d.code for d in DEFAULTS if d.kind == kind]


def suggested_code(*, application: Any, kind: str) -> str | None:
    """The template a letter of ``kind`` for this case would use by default."""
    if kind in RESULT_KINDS:
        result = application.result or application.proposed_result
        if not result:
            return None
        code = f"reply_{result}"
        default = DEFAULTS_BY_CODE.get(code)
        return code if default is not None and default.kind == kind else None
    codes = codes_for_kind(kind)
    return codes[0] if codes else None


def issue_choices(*, application: Any) -> list[tuple[str, str]]:
    """(code, label) of every template, the case's own reply first."""
    result = application.result or application.proposed_result
    first = [d for d in DEFAULTS if result and d.result == result]
    rest = [d for d in DEFAULTS if d not in first]
    return [(d.code, f"{LetterKind(d.kind).label}：{d.name}") for d in [*first, *rest]]


def latest_letter(*, application: Any, kind: str) -> Letter | None:
    """The case's most recently issued letter of ``kind`` (None if there is none)."""
    return (
        Letter.objects.filter(application=application, kind=kind)
        .order_by("-issued_on", "-serial")
        .first()
    )


def issue_initial_facts(*, application: Any) -> dict[str, Any]:
    """Initial values of the issue form's facts, read from the case."""
    return {
        "reasons": application.reply_summary,
        "correction_content": application.correction_content,
        "correction_period_ends_on": application.correction_period_ends_on,
        "extension_reason": application.extension_reason,
        **article_35_initial_facts(application=application),
    }


def template_initial(current: Any, versions: Any, shown: str | None) -> dict[str, Any]:
    """The template form's starting text: the version in use, or an older one to restore."""
    old = versions.filter(number=int(shown)).first() if shown and shown.isdigit() else None
    if old is not None:
        return {"title": old.title, "body": old.body, "note": f"恢复第{old.number}版"}
    return {"title": current.title, "body": current.body}


def article_35_initial_facts(*, application: Any) -> dict[str, Any]:
    """Initial values of the issue form for the 第三十五条 letters, read from the case.

    The head's note on the decision is offered for the officer to edit; it only enters a
    letter if it is left in the form (it is an internal note otherwise).
    """
    decision = longer_deadline_decision(application)
    request = latest_letter(application=application, kind=LetterKind.REASONS_REQUEST)
    return {
        "longer_deadline_reason": decision[1].get("reason", "") if decision else "",
        "reasons_requested_on": request.issued_on if request else None,
    }


def longer_deadline_letter_due(*, application: Any) -> bool:
    """True when the head has set a 第三十五条 reply date and no 延迟答复告知书 followed it."""
    decision = longer_deadline_decision(application)
    if decision is None:
        return False
    return not Letter.objects.filter(
        application=application, kind=LetterKind.LONGER_DEADLINE, issued_on__gte=decision[0]
    ).exists()


@dataclass(frozen=True)
class AgencyLetterSettings:
    """The settings in force for an agency (stored values or defaults)."""

    number_prefix: str
    signer_name: str
    review_body: str
    stored: LetterSettings | None


def letter_settings_for(agency: Agency) -> AgencyLetterSettings:
    """Return the agency's letter settings with the defaults filled in."""
    row = LetterSettings.objects.filter(agency=agency).first()
    return AgencyLetterSettings(
        number_prefix=(row.number_prefix if row else "") or default_prefix(agency),
        signer_name=(row.signer_name if row else "") or agency.name,
        review_body=(row.review_body if row else "") or default_review_body(agency),
        stored=row,
    )


def agencies_with_templates_admin(user: Actor) -> QuerySet[Agency]:
    """The agencies whose letter templates ``user`` may edit."""
    return agencies_for(user, "letter.template_change")


def platform_templates() -> QuerySet[LetterTemplate]:
    """The platform's stored templates (agency NULL)."""
    return LetterTemplate.objects.filter(agency__isnull=True)
