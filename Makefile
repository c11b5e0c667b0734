# Two commands do all set-up: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
PORT ?= 8000

.PHONY: run test lint eval eval-es eval-real langid bench bench-scale clean-data help i18n

help:
	@echo "make run    the archive on http://127.0.0.1:$(PORT) (embedded index, data in ./data)"
	@echo "make test   the whole suite, a real Elasticsearch node and Chromium included"
	@echo "make eval   name-search scores (dev-eval set); make eval-real: real sentences; make langid"
	@echo "make bench  ingest and search speed on a generated corpus"
	@echo "make bench-scale  the same at 1,000,000 documents, embedded and on Elasticsearch (hours)"
	@echo "make i18n   extract the interface messages, update the .po catalogs, compile them"

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,postgres,s3]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/archive serve --host 127.0.0.1 --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

test: $(STAMP) lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

eval: $(STAMP)
	$(BIN)/python $(SHARED)/dev-eval/score.py --archive "$(BIN)/archive"

eval-es: $(STAMP)
	$(BIN)/python scripts/with_es.py $(BIN)/python $(SHARED)/dev-eval/score.py --archive "$(BIN)/archive"

eval-real: $(STAMP)
	$(BIN)/python $(SHARED)/dev-eval/score.py --set $(SHARED)/real-eval/names --archive "$(BIN)/archive" --haystack 0

langid: $(STAMP)
	$(BIN)/python $(SHARED)/real-eval/langid/score_langid.py --archive "$(BIN)/archive"

# Interface catalogs: extract the messages of the templates and web/ into the template (messages.pot),
# merge it into each language's .po (new messages come untranslated, never guessed), compile the .mo
# files the application reads (committed, so that a checkout runs as it is).
LOCALE := web/i18n/locale
i18n: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -k NC_:1c,2 -k say:2 -k t --no-location --sort-output \
		--project evidence-archive --version 0.1.0 -o $(LOCALE)/messages.pot web
	$(BIN)/pybabel -q update -i $(LOCALE)/messages.pot -d $(LOCALE) --no-fuzzy-matching --ignore-obsolete \
		--width 100
	$(BIN)/pybabel -q compile --statistics -d $(LOCALE)

bench: $(STAMP)
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_capture.py
	$(BIN)/python scripts/bench_formats.py
	$(BIN)/python scripts/bench_regroup.py
	$(BIN)/python scripts/measure_entities.py --speed-only

SCALE_DOCUMENTS ?= 1000000
bench-scale: $(STAMP)
	$(BIN)/python scripts/bench.py --scale --elasticsearch --documents $(SCALE_DOCUMENTS)

clean-data:
	rm -rf data
