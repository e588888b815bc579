# syntax=docker/dockerfile:1
# Aluna: one image for web (gunicorn), worker and beat (celery).
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=aluna.settings \
    # fontconfig writes its cache here; / is read-only at run time.
    XDG_CACHE_HOME=/tmp/cache

# gettext: compilemessages. Pango, HarfBuzz and DejaVu: WeasyPrint's PDFs,
# with glyphs for every Spanish accent and the ñ. pg_dump/pg_restore for
# `manage.py backup`/`restore`: their major version must be at least the
# server's (postgres:16 in docker-compose.yml), newer than Debian's 15, so
# they come from the PostgreSQL project's repository (postgresql-common ships
# its signing key and the script that adds it).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      gettext \
      libpango-1.0-0 \
      libpangoft2-1.0-0 \
      libharfbuzz-subset0 \
      fonts-dejavu-core \
      postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends postgresql-client-16 \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 aluna \
 && useradd --system --uid 10001 --gid aluna --home-dir /app --shell /usr/sbin/nologin aluna

WORKDIR /app

# Dependencies first, so code changes do not reinstall them. --group needs pip >= 25.1.
COPY pyproject.toml ./
COPY requirements/constraints.txt requirements/constraints.txt
RUN python -m venv "$VIRTUAL_ENV" \
 && pip install --upgrade "pip>=25.1" \
 && pip install --group runtime -c requirements/constraints.txt

COPY . .

# Build-time placeholders only (settings refuse to load without them when
# DEBUG is off); real values come from the environment at run time.
RUN export DEBUG=false ALUNA_TESTING=0 \
      SECRET_KEY=build-only-not-a-secret \
      FIELD_ENCRYPTION_KEYS=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
      BLIND_INDEX_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
      AUDIT_HMAC_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
      DATABASE_URL=sqlite:////tmp/build.sqlite3 \
 && python manage.py compilemessages -v 0 \
 && python manage.py collectstatic --noinput -v 0 \
 && rm -f /tmp/build.sqlite3 \
 && mkdir -p var/media var/audit-anchor \
 && chown -R aluna:aluna var \
 && chmod 0755 docker/entrypoint.sh

USER aluna

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "/app/docker/healthcheck.py"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
# The access log has the path without the query string: searches may carry names.
# No control socket: it would go to ~/.gunicorn, on the read-only filesystem.
CMD ["gunicorn", "aluna.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--workers", "3", \
     "--worker-tmp-dir", "/dev/shm", \
     "--no-control-socket", \
     "--access-logfile", "-", \
     "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s\" %(s)s %(b)s %(L)ss"]
