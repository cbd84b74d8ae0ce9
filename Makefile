# Tilskudd — the two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help
HOST ?= 127.0.0.1
PORT ?= 8000
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
MANAGE := $(UV) run --frozen python manage.py
PYTEST := $(UV) run --frozen pytest

.PHONY: help setup system-deps browser-deps run test test-unit test-browser test-postgres lint code messages clean serve

help:
	@echo "make run    – install what is missing, migrate, load demo data, start http://$(HOST):$(PORT) with a task worker"
	@echo "make test   – install what is missing (Chromium too) and run the whole suite"
	@echo "make lint   – ruff, missing migrations, production settings check"
	@echo "make code   – the demo users' current two-factor code"
	@echo "make serve  – production-style: gunicorn (WORKERS=2) with the production settings"

# Python (uv + lock file), front-end packages (npm + lock file), compiled translations.
setup:
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet
	@[ -d node_modules/@digdir/designsystemet-css ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error
	@$(UV) run --frozen python scripts/compile_messages.py
	@mkdir -p var

run: setup system-deps
	@$(MANAGE) migrate --no-input -v 0
	@$(MANAGE) demo_seed
	@echo "Tilskudd runs on http://$(HOST):$(PORT)/ with a task worker and the scheduler beside it  – log in as one of the users above. Stop with Ctrl+C."
	@HOST=$(HOST) PORT=$(PORT) $(UV) run --frozen python scripts/run.py $(HOST):$(PORT)

# Production-style on this machine (docs/operations.md, "Serving in production"): the
# production settings, hashed and compressed static files, gunicorn with WORKERS
# processes. Plain HTTP on $(HOST):$(PORT), as behind a TLS proxy; open it as
# http://localhost:$(PORT)/ (browsers keep the secure cookies for localhost). Uses the
# database `make run` fills (or DATABASE_URL); demo data is never loaded here. A fresh
# secret key each start unless DJANGO_SECRET_KEY is set, so log-ins last one run.
WORKERS ?= 2
serve: setup system-deps
	@export DJANGO_SETTINGS_MODULE=tilskudd.settings.prod \
	  DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(python3 -c 'import secrets;print(secrets.token_urlsafe(50))')}" \
	  DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-$(HOST),localhost,127.0.0.1}" \
	  DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-false}" \
	  TILSKUDD_PUBLIC_URL="$${TILSKUDD_PUBLIC_URL:-http://localhost:$(PORT)}" \
	  HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) && \
	$(MANAGE) collectstatic --no-input -v 0 && \
	$(MANAGE) migrate --no-input -v 0 && \
	echo "Tilskudd (production settings, $(WORKERS) workers) on http://localhost:$(PORT)/ – ready: /klar/. Stop with Ctrl+C." && \
	exec $(UV) run --frozen gunicorn -c scripts/gunicorn.conf.py tilskudd.wsgi:application

code: setup
	@$(MANAGE) demo_code

# PDFs (WeasyPrint) need Pango, HarfBuzz's subsetter and a font from Debian; install them
# when missing, as root.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
system-deps:
	@if ! dpkg -s $(PDF_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; \
	  else echo "Install Debian's $(PDF_PACKAGES) (sudo apt-get install ...)"; exit 1; fi; \
	fi

# The browser tests need Debian's Chromium (never a downloaded browser build), gettext
# for the translation-completeness test and poppler's pdftoppm to look at rendered PDFs;
# install them when missing, as root.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v xgettext >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext poppler-utils >/dev/null; \
	  else echo "Install Debian's chromium, gettext and poppler-utils (sudo apt-get install chromium gettext poppler-utils)"; exit 1; fi; \
	fi

test: setup system-deps browser-deps test-unit test-browser

test-unit:
	@$(PYTEST) -m "not browser" -q

test-browser:
	@$(PYTEST) -m browser -q

lint: setup
	@$(UV) run --frozen ruff check .
	@$(MANAGE) makemigrations --check --dry-run -v 0 || (echo "Migrations are missing: run manage.py makemigrations"; exit 1)
	@DJANGO_SETTINGS_MODULE=tilskudd.settings.prod DJANGO_SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(50))') \
	  DJANGO_ALLOWED_HOSTS=tilskudd.example $(UV) run --frozen python manage.py check --deploy --fail-level WARNING

messages: setup browser-deps
	@$(MANAGE) makemessages -l nb -l nn -l en --no-obsolete --ignore=node_modules --ignore=.venv --ignore=var
	@$(UV) run --frozen python scripts/compile_messages.py

clean:
	rm -rf var .venv node_modules
