"""The workflow kernel: declarative transitions and the one way to perform a step.

An app declares, in ``<app>/workflow.py``, one :class:`Workflow` per model with a status: the
model, its :class:`Transition` table, how to record an event (each app keeps its own event
model) and how to name the record in the audit trail. Every state change then runs as::

    with WORKFLOW.perform(report, "submit", by=user) as step:
        ...  # change step.obj (the locked row); step.record(...) events; step.audit_after[...]

``perform`` does, in one ``transaction.atomic``: lock the row (``select_for_update``), check
the actor's permission (the app's ``check``, i.e. ``accounts.permissions.require``: refused
with PermissionDenied before anything about the record is told), check that its status is one
of the step's sources, run the guard (both refused with the workflow's ValidationError); then the body changes the
object; then the target status is set (and validated), the object saved, the step's event
appended and the audit entry written — all in the same transaction, or none of it.

``may(user, name, obj)`` answers exactly the kernel's questions (permission, status, guard)
without side effects, for views, templates (``{% allowed_steps obj as steps %}``) and
selectors: a button is shown exactly when the step would pass them. A step's body may still
refuse on its inputs (a date, a reason) or on facts it recomputes.

The kernel imports nothing of the apps: the permission check, the event model and the audit
wording are given by each app's declaration.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection, Iterable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from gongkai.core.actors import Actor, SystemActor, user_of
from gongkai.core.audit import record_audit, snapshot

#: A guard: given the (locked) object, the refusal message, or None when the step may go on.
Guard = Callable[[Any], "str | None"]
#: The permission check: ``check(actor, action, agency, allow=...)`` returns the role used or
#: raises PermissionDenied (``gongkai.accounts.permissions.require``).
Check = Callable[..., str]


class StepRefused(ValidationError):
    """A step is not allowed now: wrong status, a failed guard, or a refused target."""


@dataclass(frozen=True)
class Transition:
    """One step of a workflow.

    ``sources``: the statuses it may start from (empty: it creates the record). ``target``: the
    status it leads to; None leaves the status unchanged, unless the step chooses one of
    ``choices`` itself (``step.set_status``). ``action``: the permission key
    (``accounts.permissions.ACTION_ROLES``). ``guard``: a precondition on the object.
    ``event``: the event kind recorded (unless the body records it itself). ``actors``: the
    system actors (``SYSTEM``, the applicant online) that may take it — staff act through
    their roles.
    """

    name: str
    label: Any
    sources: AbstractSet[str]  # any set is given; frozen in __post_init__
    target: str | None = None
    action: str = ""
    guard: Guard | None = None
    event: str = ""
    choices: AbstractSet[str] = frozenset()
    actors: AbstractSet[SystemActor] = frozenset()

    def __post_init__(self) -> None:
        for name in ("sources", "choices", "actors"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        if not self.action:
            raise ImproperlyConfigured(f"transition {self.name!r} needs a permission action")

    @property
    def targets(self) -> frozenset[str]:
        """The statuses the step may lead to (empty: the status does not change)."""
        return frozenset({self.target}) if self.target is not None else frozenset(self.choices)

    @property
    def creates(self) -> bool:
        """True for the step that creates the record (no source status)."""
        return not self.sources


class Workflow:
    """The declaration of one model's workflow; see the module docstring.

    ``check``: the permission check (``accounts.permissions.require``). ``record_event(step,
    kind, **details)``: append an event of the app's event model. ``audit_prefix``: the first
    part of the audit actions. ``describe(obj)``: the audit entry's target text.
    ``audit_fields``: the fields whose before/after the audit entry records when they change.
    ``agency(obj)``: the agency whose roles count (default ``obj.agency``). ``before_save(step)``:
    derived columns to recompute before the final save (e.g. the statutory deadlines).
    ``related``: ``select_related`` of the locked row. ``refusal``: the exception raised.
    """

    def __init__(
        self,
        *,
        model: type[models.Model],
        transitions: Iterable[Transition],
        check: Check,
        record_event: Callable[..., Any],
        audit_prefix: str,
        describe: Callable[[Any], str] = str,
        audit_fields: Collection[str] = ("status",),
        status_field: str = "status",
        agency: Callable[[Any], Any] = lambda obj: obj.agency,
        before_save: Callable[[Step], None] | None = None,
        related: Collection[str] = ("agency",),
        refusal: type[StepRefused] = StepRefused,
    ) -> None:
        self.model = model
        self.transitions = {t.name: t for t in transitions}
        self.check = check
        self.record_event = record_event
        self.audit_prefix = audit_prefix
        self.describe = describe
        self.audit_fields = tuple(audit_fields)
        self.status_field = status_field
        self.agency = agency
        self.before_save = before_save
        self.related = tuple(related)
        self.refusal = refusal
        label = model._meta.label
        if _REGISTRY.get(label, self) is not self:
            raise ImproperlyConfigured(f"{label} already has a workflow")
        _REGISTRY[label] = self

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    # -- the questions ------------------------------------------------------------------------

    def status_of(self, obj: Any) -> str | None:
        """The object's status (None for a record not yet saved)."""
        return None if obj.pk is None else getattr(obj, self.status_field)

    def status_refusal(self, obj: Any, name: str) -> str | None:
        """Why ``name`` cannot start from the object's status (None: it can)."""
        transition = self.transitions[name]
        status = self.status_of(obj)
        if status is None:
            return None if transition.creates else str(_("该记录尚未建立，不能进行此操作。"))
        if status in transition.sources:
            return None
        label = obj._meta.get_field(self.status_field).flatchoices
        status_label = dict(label).get(status, status)
        return str(
            _("当前状态为“%(status)s”，不能进行“%(step)s”。")
            % {"status": status_label, "step": transition.label}
        )

    def check_status(self, obj: Any, name: str) -> Transition:
        """Return the transition ``name`` if it may start from the object's status, else refuse."""
        message = self.status_refusal(obj, name)
        if message is not None:
            raise self.refusal(message, code="state")
        return self.transitions[name]

    def authorise(self, actor: Actor, name: str, obj: Any) -> str:
        """Return the role ``actor`` takes step ``name`` in; raise PermissionDenied otherwise."""
        transition = self.transitions[name]
        return self.check(actor, transition.action, self.agency(obj), allow=transition.actors)

    def why_not(self, actor: Actor, name: str, obj: Any) -> str | None:
        """The kernel's refusal of step ``name`` now (permission, status, guard), or None."""
        transition = self.transitions[name]
        try:
            self.authorise(actor, name, obj)
        except PermissionDenied as exc:
            return str(exc) or str(_("您没有权限进行此项操作。"))
        message = self.status_refusal(obj, name)
        if message is not None:
            return message
        return transition.guard(obj) if transition.guard is not None else None

    def may(self, actor: Actor, name: str, obj: Any) -> bool:
        """True if step ``name`` would pass the kernel's checks now (no side effects)."""
        return self.why_not(actor, name, obj) is None

    def allowed(self, actor: Actor, obj: Any) -> frozenset[str]:
        """The names of the steps ``actor`` may take on ``obj`` now."""
        return frozenset(n for n in self.transitions if self.may(actor, n, obj))

    # -- the step -----------------------------------------------------------------------------

    @contextmanager
    def perform(
        self,
        obj: Any,
        name: str,
        *,
        by: Actor,
        audit: str = "",
        authorised_by: Step | None = None,
    ) -> Iterator[Step]:
        """Run step ``name`` on ``obj`` (a saved row, or a new instance for a creating step).

        ``audit``: the audit action, when a service words it otherwise than ``<prefix>.<name>``
        (several services share the "edit" step). ``authorised_by``: another step in progress
        whose permission covers this one (the transfer registers the new case at the receiving
        agency); the actor's own roles there are then not checked.
        """
        transition = self.transitions[name]
        with transaction.atomic():
            locked = obj if obj.pk is None else self.lock(obj)
            if authorised_by is not None and authorised_by not in _ACTIVE.get():
                raise ImproperlyConfigured("authorised_by must be a step in progress")
            role = authorised_by.role if authorised_by else self.authorise(by, name, locked)
            self.check_status(locked, name)
            if transition.guard is not None:
                message = transition.guard(locked)
                if message is not None:
                    raise self.refusal(message, code="guard")
            step = Step(self, transition, locked, by, role, audit or f"{self.audit_prefix}.{name}")
            token = _ACTIVE.set((*_ACTIVE.get(), step))
            try:
                yield step
            finally:
                _ACTIVE.reset(token)
            step.complete()

    def lock(self, obj: Any) -> Any:
        """Return the object's row again, locked until the transaction ends."""
        rows = self.model._default_manager.select_for_update(of=("self",))
        return rows.select_related(*self.related).get(pk=obj.pk)


@dataclass(eq=False)
class Step:
    """A step in progress: the locked object, who acts and in which role, what to record."""

    workflow: Workflow
    transition: Transition
    obj: Any
    by: Actor
    role: str
    audit_action: str
    #: Extra data for the audit entry, besides the changed ``audit_fields``.
    audit_before: dict[str, Any] = field(default_factory=dict)
    audit_after: dict[str, Any] = field(default_factory=dict)
    events: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        wf = self.workflow
        self.status_before = wf.status_of(self.obj)
        self.state_before = {} if self.obj.pk is None else snapshot(self.obj, wf.audit_fields)
        self._status_chosen = False

    def set_status(self, status: str) -> None:
        """Choose the status this step leads to (one of its ``targets``)."""
        self._validate(status)
        setattr(self.obj, self.workflow.status_field, status)
        self._status_chosen = True

    def record(self, kind: str = "", **details: Any) -> Any:
        """Append an event (default: the step's own kind) through the app's event recorder."""
        if self.obj.pk is None:
            self.obj.save()
        event = self.workflow.record_event(self, kind or self.transition.event, **details)
        self.events.append(kind or self.transition.event)
        return event

    def _validate(self, status: str) -> None:
        targets = self.transition.targets
        if (targets and status not in targets) or (not targets and status != self.status_before):
            raise self.workflow.refusal(
                _("“%(step)s”不能导致该状态。") % {"step": self.transition.label}
            )

    def complete(self) -> None:
        """Set the target status, save, record the step's event and write the audit entry."""
        wf, transition, obj = self.workflow, self.transition, self.obj
        if transition.target is not None and not self._status_chosen:
            setattr(obj, wf.status_field, transition.target)
        self._validate(getattr(obj, wf.status_field))
        if transition.event and transition.event not in self.events:
            self.record()
        if obj.pk is None:
            obj.save()
        if wf.before_save is not None:
            wf.before_save(self)
        obj.save()
        after = snapshot(obj, wf.audit_fields)
        changed = [k for k in after if after[k] != self.state_before.get(k)]
        if not (changed or self.events or self.audit_before or self.audit_after):
            return  # nothing happened (e.g. an edit that changed nothing)
        record_audit(
            action=self.audit_action,
            actor=self.by,
            target=obj,
            agency=wf.agency(obj),
            role=self.role,
            before={k: self.state_before.get(k) for k in changed} | self.audit_before,
            after={k: after[k] for k in changed} | self.audit_after,
            target_repr=wf.describe(obj),
        )


def event_recorder(
    model: type[models.Model], target: str, *, with_user: bool = True
) -> Callable[..., Any]:
    """The usual ``record_event``: a row of the app's event ``model`` with the step's object as
    ``target``, the kind, who acted (``actor`` — the user, unless ``with_user`` is False — and
    ``actor_repr``, their name) and the step's details (``note=``, ``text=`` …)."""

    def record(step: Step, kind: str, **details: Any) -> Any:
        fields: dict[str, Any] = {target: step.obj, "kind": kind, "actor_repr": str(step.by)[:200]}
        if with_user:
            fields["actor"] = user_of(step.by)
        return model._default_manager.create(**fields, **details)

    return record


#: model label → its workflow (filled as ``<app>/workflow.py`` modules are imported).
_REGISTRY: dict[str, Workflow] = {}
#: The steps in progress (``perform`` bodies being run) in this thread/context, innermost last.
_ACTIVE: ContextVar[tuple[Step, ...]] = ContextVar("gongkai_workflow_active", default=())


def workflow_for(obj_or_model: Any) -> Workflow:
    """The workflow of a model (instance or class); imports ``<app>/workflow.py`` on first use."""
    meta = obj_or_model._meta
    if meta.label not in _REGISTRY:
        try:
            importlib.import_module(f"{meta.app_config.name}.workflow")
        except ModuleNotFoundError:
            pass
    try:
        return _REGISTRY[meta.label]
    except KeyError:
        raise LookupError(f"{meta.label} has no workflow") from None


def may(user: Actor, step: str | Transition, obj: Any) -> bool:
    """True if ``user`` could take ``step`` (a name or a Transition) on ``obj`` now."""
    name = step.name if isinstance(step, Transition) else step
    return workflow_for(obj).may(user, name, obj)


def allowed_steps(user: Actor, obj: Any) -> frozenset[str]:
    """The names of the steps ``user`` could take on ``obj`` now."""
    return workflow_for(obj).allowed(user, obj)
