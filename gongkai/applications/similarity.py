"""Repeat detection at registration (重复申请, 第三十六条第（六）项) and the 第四十四条 hint.

Two questions, both limited to the agencies the officer may see (``visible_to``):

* **earlier applications of the same applicant** — the hashed ``applicant_key`` (ID number or
  统一社会信用代码), one indexed equality lookup;
* **similar requests from anyone** — candidates come from the search app's office search over
  applications (an inverted index: tantivy or PostgreSQL full-text, jieba words and synonyms;
  never a scan of the table), then each candidate is scored by character-bigram similarity of
  the descriptions, so that "similar" has one stable, explainable meaning (decision 0462).

When several different applicants have asked the same agency for similar information within 12
months, the check suggests moving it into proactive disclosure (第四十四条: "多个申请人就相同
政府信息向同一行政机关提出公开申请，且该政府信息属于可以公开的，行政机关可以纳入主动公开的范围").

Applicant data in the results is always masked; nothing here is written to logs.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from gongkai.applications.choices import ApplicantType, Result, Status
from gongkai.applications.models import Application
from gongkai.applications.services import applicant_keys
from gongkai.core.actors import Actor
from gongkai.search.backends import get_backend
from gongkai.search.documents import BackendQuery
from gongkai.search.registry import get_index
from gongkai.search.selectors import application_scope, parse_query
from gongkai.search.services import sync_index

logger = logging.getLogger(__name__)

#: Score from which two descriptions count as similar (see ``similarity``).
SIMILARITY_THRESHOLD = 0.4
#: Candidates asked from the search index per check.
CANDIDATES = 50
#: At most this many earlier / similar applications are listed.
LIMIT = 20
#: 第四十四条 hint: this many different applicants (the current one included) …
PROACTIVE_MIN_APPLICANTS = 3
#: … asking the same agency for similar information within this many days.
PROACTIVE_WINDOW_DAYS = 365
#: Text sent to the search engine (the opening of the description carries its subject).
QUERY_CHARS = 200

_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Fold full-width forms and case; drop spaces and punctuation."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text or "").lower())


def shingles(text: str) -> frozenset[str]:
    """Return the set of character bigrams of the normalised text (a single char for 1-char text)."""
    norm = normalise(text)
    if len(norm) < 2:
        return frozenset({norm}) if norm else frozenset()
    return frozenset(norm[i : i + 2] for i in range(len(norm) - 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Return how alike two bigram sets are, in [0, 1].

    The larger of the Jaccard index and 0.8 × the overlap coefficient (shared bigrams over the
    smaller set): a short request wholly contained in a longer one still scores high, while two
    long texts need broad overlap.
    """
    if not a or not b:
        return 0.0
    shared = len(a & b)
    jaccard = shared / len(a | b)
    overlap = shared / min(len(a), len(b)) if min(len(a), len(b)) >= 4 else 0.0
    return max(jaccard, 0.8 * overlap)


@dataclass(frozen=True)
class Match:
    """An earlier application shown to the officer (applicant data masked)."""

    pk: int
    registration_number: str
    agency_id: int
    agency_name: str
    received_on: dt.date
    status_label: str
    result_label: str
    applicant: str
    applicant_type_label: str
    description: str
    score: float = 0.0
    same_applicant: bool = False
    url: str = ""


@dataclass
class RepeatCheck:
    """What registration shows: the applicant's earlier requests and similar ones from anyone."""

    earlier: list[Match] = field(default_factory=list)
    similar: list[Match] = field(default_factory=list)
    #: Different applicants who asked the agency for similar information in the window
    #: (the current applicant included).
    recent_applicants: int = 0
    suggest_proactive: bool = False
    search_unavailable: bool = False

    @property
    def empty(self) -> bool:
        """True when there is nothing to show."""
        return not (self.earlier or self.similar)


def lookup_keys(*, applicant_type: str, id_number: str = "", credit_code: str = "") -> list[str]:
    """Return the applicant's keys for an ID number or credit code (empty without either): one
    per configured hash key, current first (see ``services.applicant_keys``).

    A name alone is too weak to call two applications "the same applicant".
    """
    id_number = (id_number or "").strip()
    credit_code = (credit_code or "").strip()
    if applicant_type not in ApplicantType.values:
        applicant_type = ApplicantType.PERSON if id_number else ApplicantType.OTHER_ORG
    if applicant_type == ApplicantType.PERSON and not id_number:
        return []
    if applicant_type != ApplicantType.PERSON and not credit_code:
        if not id_number:
            return []
        credit_code = id_number  # organisations' 证件号码 is their credit code
    return applicant_keys(
        applicant_type=applicant_type, id_number=id_number, credit_code=credit_code, name=""
    )


def _url(pk: int) -> str:
    try:
        return reverse("applications:detail", kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


def _match(app: Application, *, keys: list[str], score: float = 0.0) -> Match:
    return Match(
        pk=app.pk,
        registration_number=app.registration_number,
        agency_id=app.agency_id,
        agency_name=app.agency.name,
        received_on=app.received_on,
        status_label=str(Status(app.status).label),
        result_label=str(Result(app.result).label) if app.result else "",
        applicant=app.masked_name,
        applicant_type_label=str(ApplicantType(app.applicant_type).label),
        description=app.description[:300],
        score=round(score, 3),
        same_applicant=app.applicant_key in keys,
        url=_url(app.pk),
    )


def earlier_applications(
    user: Actor, keys: list[str], *, exclude_pk: int | None = None, limit: int = LIMIT
) -> list[Application]:
    """The applicant's applications the officer may see, newest first (indexed lookup)."""
    qs = (
        Application.objects.visible_to(user).filter(applicant_key__in=keys).select_related("agency")
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.order_by("-received_on", "-pk")[:limit])


def candidate_ids(user: Actor, description: str) -> list[int]:
    """Ids of the applications the search index ranks closest to ``description``, in scope.

    The query asks for documents matching *any* of the description's words (BM25 ranks those
    sharing more and rarer words first): a reworded request rarely repeats every word.
    """
    _words, groups, _idents = parse_query(description[:QUERY_CHARS])
    if not groups:
        return []
    index = get_index("applications")
    backend = get_backend(index)
    sync_index(index, backend)
    query = BackendQuery(
        groups=groups,
        identifiers=[],
        filters={},
        scope=application_scope(user),
        limit=CANDIDATES,
        offset=0,
        with_facets=False,
        match_any=True,
    )
    return [hit.pk for hit in backend.search(query).hits]


def similar_applications(
    user: Actor,
    description: str,
    *,
    exclude_pk: int | None = None,
    threshold: float = SIMILARITY_THRESHOLD,
    limit: int = LIMIT,
) -> list[tuple[Application, float]]:
    """Applications the officer may see whose description is similar, best first."""
    wanted = shingles(description)
    if not wanted:
        return []
    ids = [pk for pk in candidate_ids(user, description) if pk != exclude_pk]
    if not ids:
        return []
    # The search scope is re-checked against the chokepoint: the index may lag behind.
    rows = Application.objects.visible_to(user).filter(pk__in=ids).select_related("agency")
    scored = [(app, similarity(wanted, shingles(app.description))) for app in rows]
    scored = [(app, s) for app, s in scored if s >= threshold]
    scored.sort(key=lambda pair: (-pair[1], -pair[0].received_on.toordinal(), -pair[0].pk))
    return scored[:limit]


def repeat_check(
    *,
    user: Actor,
    agency: Any,
    description: str,
    applicant_type: str = "",
    id_number: str = "",
    credit_code: str = "",
    today: dt.date | None = None,
    exclude_pk: int | None = None,
) -> RepeatCheck:
    """Return the applicant's earlier applications and similar requests (both in scope), and
    whether the 第四十四条 proactive-disclosure hint applies for ``agency``."""
    today = today or timezone.localdate()
    keys = lookup_keys(applicant_type=applicant_type, id_number=id_number, credit_code=credit_code)
    check = RepeatCheck()
    if keys:
        check.earlier = [
            _match(a, keys=keys) for a in earlier_applications(user, keys, exclude_pk=exclude_pk)
        ]
    if description.strip():
        try:
            similar = similar_applications(user, description, exclude_pk=exclude_pk)
        except Exception:  # the search index is a helper: registration must go on without it
            logger.exception("repeat check: similar-request search failed")
            similar = []
            check.search_unavailable = True
        check.similar = [_match(a, keys=keys, score=s) for a, s in similar]
        since = today - dt.timedelta(days=PROACTIVE_WINDOW_DAYS)
        applicants = {
            keys[0] if a.applicant_key in keys else a.applicant_key
            for a, _ in similar
            if a.agency_id == getattr(agency, "pk", agency) and since <= a.received_on <= today
        }
        applicants.add(keys[0] if keys else "current")
        check.recent_applicants = len(applicants)
        check.suggest_proactive = check.recent_applicants >= PROACTIVE_MIN_APPLICANTS
    return check
