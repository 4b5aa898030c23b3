# Two commands do all set-up from a fresh clone: `make demo` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: demo test lint check build bench golden system-deps clean

demo: system-deps $(STAMP)
	$(BIN)/pufa build
	@echo ""
	@echo "示例县已生成：$(CURDIR)/site/index.html"
	@echo "打印文件：$(CURDIR)/site/print/（清单 site/print/manifest.json）"
	@echo "本地预览：$(BIN)/python -m http.server -d site 8000，然后打开 http://localhost:8000/"

test: system-deps $(STAMP) lint
	$(BIN)/pytest -q -p no:cacheprovider --durations=15

lint: $(STAMP)
	$(BIN)/ruff check site_builder tests scripts
	$(BIN)/ruff format --check site_builder tests scripts
	$(BIN)/mypy site_builder

golden: $(STAMP)
	PUFA_GOLDEN_UPDATE=1 $(BIN)/pytest -q -p no:cacheprovider tests/test_golden.py
	@echo "已重新生成 tests/golden/：请用 git diff 检查改动"

check: $(STAMP)
	$(BIN)/pufa check

bench: system-deps $(STAMP)
	$(BIN)/python scripts/bench_print.py
	$(BIN)/python scripts/bench_laws.py
	$(BIN)/python scripts/bench_stats.py
	$(BIN)/pufa build > /dev/null
	$(BIN)/python scripts/bench_phone.py site
	$(BIN)/python scripts/bench_search.py site
	$(BIN)/python scripts/bench_speech.py 1
	$(BIN)/python scripts/bench_scale.py 300 3000

system-deps:
	@bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf site .pufa-build
