# The two commands: `make run` (demo on SQLite, tasks in-process) and `make test`.
.PHONY: run test lint bench lock messages

run:
	scripts/run

test:
	scripts/test

lint:
	scripts/bootstrap runtime test
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports

bench:
	scripts/bench

messages:
	scripts/bootstrap runtime test
	DEBUG=true .venv/bin/python manage.py makemessages --locale es_MX --no-location --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'static/*' --ignore 'tests/*' --ignore 'bench/*'
	DEBUG=true .venv/bin/python manage.py compilemessages --ignore '.venv/*'

lock:
	rm -rf var/lock-venv && python3.13 -m venv var/lock-venv
	var/lock-venv/bin/pip install -q -U "pip>=25.1" && var/lock-venv/bin/pip install -q --group runtime --group test
	(echo "# Pinned versions of every dependency and sub-dependency (regenerate: make lock)."; var/lock-venv/bin/pip freeze) > requirements/constraints.txt
