"""Write side of advocacy: one user action, one transaction with its audit row."""

import datetime as dt
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type
from aluna.core.roles import Role
from aluna.encryption.keys import decrypt, encrypt
from aluna.notifications.services import notification_send
from aluna.outbox.services import outbox_enqueue

from . import aggregates, series
from .exports import DONOR_REPORT_FILE, csv_text, donor_report_rows, download_name
from .models import (
    AdvocacyOutput,
    Donor,
    DonorReport,
    Grant,
    ReportDelivery,
    ReportDue,
    ReportStatus,
)
from .pdf import report_pdf_bytes
from .suppression import TOTAL, suppress_tables

DOWNLOAD_DAYS = 7
REPORT_DUE_KIND = "advocacy-report-due"
# Enqueued by name: tasks import services, never the reverse.
GENERATE_REPORT_TASK = "advocacy.tasks.generate_donor_report"
# No donor or project name: only the number of days and a reference code.
REPORT_DUE_MESSAGE = gettext_noop("A donor report (grant %(code)s) is due in %(days)s days.")


def reminder_days() -> int:
    return int(getattr(settings, "ADVOCACY_REPORT_REMINDER_DAYS", 14))


# --- outputs -------------------------------------------------------------------------------


def _save_m2m(instance, data: dict) -> None:
    if "areas" in data:
        instance.areas.set(data["areas"])
    if "states" in data:
        instance.states.set(data["states"])


@transaction.atomic
def output_create(*, actor, data: dict, request=None) -> AdvocacyOutput:
    plain = {k: v for k, v in data.items() if k not in ("areas", "states")}
    output = AdvocacyOutput.objects.create(created_by=actor, **plain)
    _save_m2m(output, data)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target_type=audit_target_type(output),
        target_id=str(output.pk),
        request=request,
    )
    return output


@transaction.atomic
def output_update(*, output: AdvocacyOutput, actor, data: dict, request=None) -> AdvocacyOutput:
    for key, value in data.items():
        if key not in ("areas", "states"):
            setattr(output, key, value)
    output.save()
    _save_m2m(output, data)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target_type=audit_target_type(output),
        target_id=str(output.pk),
        request=request,
    )
    return output


@transaction.atomic
def output_delete(*, output: AdvocacyOutput, actor, request=None) -> None:
    target_id = str(output.pk)
    output.delete()
    audit_record(
        action=AuditAction.DELETE,
        actor=actor,
        target_type=audit_target_type(AdvocacyOutput),
        target_id=target_id,
        request=request,
    )


# --- donors and grants ----------------------------------------------------------------------


@transaction.atomic
def donor_create(*, actor, name: str, notes: str = "", request=None):
    donor = Donor.objects.create(name=name, notes=notes)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target_type=audit_target_type(donor),
        target_id=str(donor.pk),
        request=request,
    )
    return donor


@transaction.atomic
def grant_create(*, actor, data: dict, due_dates: list[dt.date], request=None) -> Grant:
    grant = Grant.objects.create(**data)
    ReportDue.objects.bulk_create(
        [ReportDue(grant=grant, due_on=due) for due in sorted(set(due_dates))]
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target_type=audit_target_type(grant),
        target_id=str(grant.pk),
        request=request,
        metadata={"due_dates": len(set(due_dates))},
    )
    return grant


def grant_reference(grant: Grant) -> str:
    return f"GR-{grant.start:%Y}-{grant.pk.hex[:8].upper()}"


def _advocacy_team():
    return (
        get_user_model().objects.filter(is_active=True, groups__name=str(Role.ADVOCACY)).distinct()
    )


def report_due_reminders_send(*, today: dt.date) -> int:
    """Remind the advocacy team once of each report due within `reminder_days()` days.

    Idempotent: the row is locked, re-checked and marked in the same transaction.
    """
    horizon = today + dt.timedelta(days=reminder_days())
    due = ReportDue.objects.filter(due_on__gte=today, due_on__lte=horizon, reminded_on=None)
    sent = 0
    for due_id in list(due.order_by("due_on").values_list("pk", flat=True)):
        with transaction.atomic():
            row = (
                due.select_for_update(of=("self",))
                .select_related("grant")
                .filter(pk=due_id)
                .first()
            )
            if row is None:
                continue
            recipients = list(_advocacy_team())
            if recipients:
                notification_send(
                    recipients=recipients,
                    kind=REPORT_DUE_KIND,
                    message=REPORT_DUE_MESSAGE,
                    params={
                        "code": grant_reference(row.grant),
                        "days": (row.due_on - today).days,
                    },
                    url=reverse("advocacy:grant-detail", kwargs={"grant_id": row.grant_id}),
                )
            ReportDue.objects.filter(pk=row.pk).update(reminded_on=today)
            sent += 1
    return sent


# --- donor reports ------------------------------------------------------------------------------


@transaction.atomic
def report_create(*, actor, data: dict, request=None) -> DonorReport:
    report = DonorReport.objects.create(created_by=actor, **data)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target_type=audit_target_type(report),
        target_id=str(report.pk),
        request=request,
    )
    return report


@transaction.atomic
def report_update(*, report: DonorReport, actor, data: dict, request=None) -> DonorReport:
    for key, value in data.items():
        setattr(report, key, value)
    report.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target_type=audit_target_type(report),
        target_id=str(report.pk),
        request=request,
    )
    return report


@transaction.atomic
def report_set_options(*, report: DonorReport, actor, options: dict, request=None) -> DonorReport:
    """Save the preview's choices (breakdowns dropped, states coarsened)."""
    DonorReport.objects.filter(pk=report.pk).update(options=options)
    report.options = options
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target_type=audit_target_type(report),
        target_id=str(report.pk),
        request=request,
        metadata={"options": "preview"},
    )
    return report


def report_request_generation(*, report: DonorReport, actor, request=None) -> DonorReport:
    """Queue the report for the worker; the page then polls its progress."""
    with transaction.atomic():
        DonorReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.QUEUED, progress=0, pdf_encrypted="", generated_at=None
        )
        audit_record(
            action=AuditAction.GENERATE,
            actor=actor,
            target_type=audit_target_type(report),
            target_id=str(report.pk),
            request=request,
        )
        outbox_enqueue(GENERATE_REPORT_TASK, str(report.pk))
    report.refresh_from_db()
    return report


def _associated_data(report_id) -> bytes:
    return f"advocacy.donorreport.pdf:{report_id}".encode()


def report_compute_tables(*, report: DonorReport, on_progress=None) -> list[dict]:
    """Every wanted section's tables, suppressed, as JSON-safe dicts; checked against the
    reports already delivered to the same donor (advocacy.series)."""
    wanted = [s for s in aggregates.sections() if s.code in (report.sections or [])]
    computed = []
    for index, section in enumerate(wanted, start=1):
        extra = {"options": report.options or {}} if section.takes_options else {}
        found = section.func(start=report.start, end=report.end, **extra)
        tables = [aggregates.as_table(t) for t in found]
        computed.append((section, tables))
        if on_progress:
            on_progress(index, len(wanted))
    # Suppress over the whole report at once: rule 4 spans tables (and sections).
    flat = [table for _section, tables in computed for table in tables]
    refs = [f"{section.code}:{i}" for section, tables in computed for i in range(len(tables))]
    deliveries = _earlier_deliveries(report)
    forced: dict[int, set] = {}
    notes = []
    while True:
        result = _sectioned(computed, suppress_tables(flat, forced), refs)
        found = series.leaks(
            tables=result, start=report.start, end=report.end, deliveries=deliveries
        )
        figures = series.exact_figures(result)
        new = [
            leak
            for leak in found
            if _figure(leak) not in forced.get(refs.index(leak.table), ())
            and figures[series.figure_key(leak)] != 0  # a zero is never hidden (series)
        ]
        if not new:
            break
        for leak in new:
            forced.setdefault(refs.index(leak.table), set()).add(_figure(leak))
            notes.append(leak)
    still_shown = series.exact_figures(result)  # counts of outputs are never hidden
    for leak in (leak for leak in notes if series.figure_key(leak) not in still_shown):
        table = next(t for s in result for t in s["tables"] if t["ref"] == leak.table)
        table.setdefault("series", []).append(_series_note(leak))
    return result


def _figure(leak: series.Leak):
    """What suppress_tables' `forced` names: a category, or a grid's (row, column)."""
    return leak.category if leak.column is None else (leak.category, leak.column)


def _series_note(leak: series.Leak) -> dict:
    """The report page's note; a grid's figure is named "row × column"."""
    note = {
        "category": leak.category,
        "start": leak.delivered_start.isoformat(),
        "end": leak.delivered_end.isoformat(),
        "chain": leak.reports > 1,
    }
    if leak.column is not None:
        names = [gettext("Total") if part == TOTAL else part for part in _figure(leak)]
        note.update(category=" × ".join(names), row=leak.category, column=leak.column)
    return note


def _sectioned(computed: list, shown: list[dict], refs: list[str]) -> list[dict]:
    shown_iter = iter(zip(shown, refs, strict=True))
    sections = []
    for section, tables in computed:
        section_tables = []
        for _table in tables:
            table, ref = next(shown_iter)
            section_tables.append({**table, "ref": ref})
        sections.append(
            {"code": section.code, "label": str(section.label), "tables": section_tables}
        )
    return sections


def _earlier_deliveries(report: DonorReport) -> list[ReportDelivery]:
    """The reports delivered to the report's donor (none without a grant)."""
    if report.grant_id is None:
        return []
    return list(
        ReportDelivery.objects.filter(donor_id=report.grant.donor_id)
        .exclude(report_id=report.pk)
        .only("start", "end", "tables")
    )


@transaction.atomic
def report_mark_delivered(*, report: DonorReport, actor, request=None) -> ReportDelivery:
    """Record that the report, as generated, was delivered to its grant's donor: its
    figures are kept exactly as shown, for the series protection of the next reports."""
    if report.status != ReportStatus.DONE or report.grant_id is None:
        raise ValueError("Only a generated report of a grant can be delivered.")
    delivery = ReportDelivery.objects.create(
        report=report,
        donor_id=report.grant.donor_id,
        start=report.start,
        end=report.end,
        tables=report.tables,
        delivered_at=timezone.now(),
        delivered_by=actor,
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target_type=audit_target_type(delivery),
        target_id=str(delivery.pk),
        request=request,
        metadata={"report": str(report.pk)},
    )
    return delivery


def _set_progress(report_id, value: int, **extra) -> None:
    DonorReport.objects.filter(pk=report_id).update(progress=value, **extra)


def report_generate(*, report_id) -> DonorReport:
    """Run by the worker: aggregates (progress 10-80 %), PDF (90 %), encrypted storage."""
    began = time.monotonic()
    report = DonorReport.objects.get(pk=report_id)
    _set_progress(report.pk, 5, status=ReportStatus.RUNNING)
    try:
        tables = report_compute_tables(
            report=report,
            on_progress=lambda done, total: _set_progress(
                report.pk, 10 + int(70 * done / max(total, 1))
            ),
        )
        report.tables = tables
        pdf = report_pdf_bytes(report=report)
        _set_progress(report.pk, 90)
        token = encrypt(pdf, associated_data=_associated_data(report.pk))
        with transaction.atomic():
            DonorReport.objects.filter(pk=report.pk).update(
                tables=tables,
                pdf_encrypted=token,
                status=ReportStatus.DONE,
                progress=100,
                generated_at=timezone.now(),
                generation_seconds=round(time.monotonic() - began, 3),
            )
    except Exception:
        DonorReport.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED)
        raise
    report.refresh_from_db()
    return report


def report_is_downloadable(report: DonorReport, *, now=None) -> bool:
    now = now or timezone.now()
    return bool(
        report.status == ReportStatus.DONE
        and report.pdf_encrypted
        and report.generated_at
        and now - report.generated_at <= dt.timedelta(days=DOWNLOAD_DAYS)
    )


def report_download_pdf(*, report: DonorReport, actor, request=None) -> bytes:
    """The decrypted PDF; audited "download" in the same transaction."""
    with transaction.atomic():
        audit_record(
            action=AuditAction.DOWNLOAD,
            actor=actor,
            target_type=audit_target_type(report),
            target_id=str(report.pk),
            request=request,
            metadata={"format": "pdf"},
        )
    return decrypt(report.pdf_encrypted, associated_data=_associated_data(report.pk))


def report_download_csv(*, report: DonorReport, actor, request=None) -> str:
    """The report's suppressed tables as CSV; audited "download" in its own transaction."""
    with transaction.atomic():
        audit_record(
            action=AuditAction.DOWNLOAD,
            actor=actor,
            target_type=audit_target_type(report),
            target_id=str(report.pk),
            request=request,
            metadata={"format": "csv"},
        )
    return csv_text(donor_report_rows(report.tables))


def report_file_name(report: DonorReport, *, extension: str) -> str:
    """informe-donante-<date of generation>.<extension>: no title, donor or person."""
    made_on = timezone.localdate(report.generated_at) if report.generated_at else None
    return download_name(
        DONOR_REPORT_FILE, made_on=made_on or timezone.localdate(), extension=extension
    )
