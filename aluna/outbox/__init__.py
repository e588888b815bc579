"""Transactional outbox: background work is written down with the record that causes it.

A service that wants a Celery task run (a crisis alert, a notification e-mail,
a certificate batch, a donor report) calls `outbox_enqueue(task, *args)`
inside its transaction instead of `task.delay()`. That writes one
`OutboxMessage` row in the same transaction, so the row exists exactly when
the record that caused it does: a rollback leaves neither.

Delivery to the broker happens in two places:

- Right after commit (`transaction.on_commit`), a best-effort publish of the
  row. It fails fast when Redis is stopped or frozen (a short retry policy and
  the socket timeouts in `CELERY_BROKER_TRANSPORT_OPTIONS`); the failure is
  logged without data and the row simply stays pending. The user's request
  never fails or hangs because the broker is down.
- The dispatcher, `outbox_dispatch()`, run by beat every 15 seconds as the
  `aluna.outbox.dispatch` task (and by `manage.py outbox_dispatch` by hand).
  It locks pending rows with `FOR UPDATE SKIP LOCKED`, so several dispatchers
  never publish the same row at once, publishes them and marks them
  dispatched. A new row is left to its on-commit publish for
  `OUTBOX_GRACE_SECONDS` before the dispatcher considers it.

Each message is published with the row's id as the Celery task id, so a
re-published row (a process that died between publishing and marking the row)
is recognisable in the worker's log. Delivery is therefore at least once:
every task run through the outbox must be idempotent (lock the row it works
on and check whether the work is already done). Rows hold task names and ids
only, never personal data. Rows pending for longer than
`OUTBOX_STALE_MINUTES` show up in the admin; dispatched rows are deleted after
`OUTBOX_RETENTION_DAYS`.
"""
