# Two commands do all set-up: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
PORT ?= 8000

.PHONY: run test lint eval eval-es eval-real langid bench bench-scale clean-data help

help:
	@echo "make run    the archive on http://127.0.0.1:$(PORT) (embedded index, data in ./data)"
	@echo "make test   the whole suite, a real Elasticsearch node and Chromium included"
	@echo "make eval   name-search scores (dev-eval set); make eval-real: real sentences; make langid"
	@echo "make bench  ingest and search speed on a generated corpus"
	@echo "make bench-scale  the same at 1,000,000 documents, embedded and on Elasticsearch (hours)"

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

bench: $(STAMP)
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_capture.py
	$(BIN)/python scripts/bench_formats.py
	$(BIN)/python scripts/measure_entities.py --speed-only

SCALE_DOCUMENTS ?= 1000000
bench-scale: $(STAMP)
	$(BIN)/python scripts/bench.py --scale --elasticsearch --documents $(SCALE_DOCUMENTS)

clean-data:
	rm -rf data
