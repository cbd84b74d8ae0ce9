"""The register's background jobs: the downloads (CSV and Excel) and the nightly discharge."""

from __future__ import annotations

import dataclasses
import datetime

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.actor import Actor
from accounts.selectors import user_memberships
from jobs.registry import job_handler, periodic
from jobs.services import job_fail, job_finish, job_progress, job_start

from . import export, permissions, selectors, services

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters_params(filters: selectors.Filters) -> dict:
    return {name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in dataclasses.asdict(filters).items()
            if value not in ("", None)}


def _filters_from(params: dict) -> selectors.Filters:
    values = {}
    for field in dataclasses.fields(selectors.Filters):
        if field.name not in params:
            continue
        value = params[field.name]
        if field.name.startswith(("start_", "end_")):
            value = datetime.date.fromisoformat(value)
        values[field.name] = value
    return selectors.Filters(**values)


# The downloads: each format's job kind, label, writer and content type.
EXPORTS = {
    "csv": (gettext_lazy("Writing CSV file"), export.csv_bytes, "text/csv; charset=utf-8"),
    "xlsx": (gettext_lazy("Writing Excel file"), export.xlsx_bytes, XLSX_TYPE),
}


def export_start(*, actor: Actor, fmt: str, filters: selectors.Filters,
                 search: selectors.Search | None, described: list[str], file_name: str):
    """Start a download of the participant list (``fmt`` "csv" or "xlsx") as a job for the
    actor (the file is theirs alone)."""
    label, _writer, _type = EXPORTS[fmt]
    params = {"organization_id": actor.organization.pk, "filters": _filters_params(filters),
              "search": {"by": search.by, "ids": list(search.ids)} if search else None,
              "described": described, "file_name": file_name,
              "language": translation.get_language()}
    with transaction.atomic():
        return job_start(owner=actor.user, kind=f"register.{fmt}", label=label,
                         params=params)


def _actor_of(user, organization_id: int) -> Actor | None:
    """The owner as they act for the organisation now (roles may have changed since)."""
    memberships = user_memberships(user) if user is not None and user.is_active else ()
    current = next((m for m in memberships if m.organization.pk == organization_id), None)
    if current is None:
        return None
    return Actor(user=user, organization=current.organization, roles=current.roles,
                 memberships=memberships)


def _export(job, fmt: str) -> None:
    """Write the file for the owner as they may act now, reporting the rows written; then
    log the participants it contains and finish the job with the file, together."""
    _label, writer, content_type = EXPORTS[fmt]
    params = job.params
    actor = _actor_of(job.owner, params["organization_id"])
    if actor is None or not permissions.can_use_register(actor):
        job_fail(job.pk, message=_("You no longer have access to this register."))
        return
    search = params.get("search")
    queryset = selectors.participant_list(
        actor, _filters_from(params.get("filters") or {}),
        selectors.Search(search["by"], tuple(search["ids"])) if search else None)
    written: list[int] = []
    with translation.override(params.get("language")):
        content, _count = writer(
            queryset, written, progress=lambda done, total: job_progress(job.pk, done, total))
    # The access log records the participants the file contains, with the file itself.
    with transaction.atomic():
        services.export_logged(actor=actor, fmt=fmt, participant_ids=written,
                               filters=params.get("described") or [])
        job_finish(job.pk, result=content, result_name=params["file_name"],
                   result_type=content_type)


@job_handler("register.xlsx")
def xlsx_export(job) -> None:
    _export(job, "xlsx")


@job_handler("register.csv")
def csv_export(job) -> None:
    _export(job, "csv")


@periodic("register.discharge_due", label=gettext_lazy("Discharge participants"))
def discharge_due(job) -> None:
    """Nightly: participants whose after-care year is over are discharged (idempotent: a
    discharged participant is not due again)."""
    count = services.participants_discharge_due()
    job_finish(job.pk, message=str(count))
