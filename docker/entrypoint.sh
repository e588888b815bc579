#!/bin/sh
# Migrate before serving, and only when serving: the worker and beat start
# once web is healthy, so the schema is already in place for them.
set -eu

case "${1:-}" in
  gunicorn)
    python manage.py migrate --noinput
    ;;
esac

exec "$@"
