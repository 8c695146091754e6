# Botticelli: `make run` and `make test` are the two commands; the rest are parts of them or benchmarks.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
SWIFT ?= swift
CONFIGURATION ?= release
FUZZ_SECONDS ?= 300

# Every Swift build sees the provisioned llama.cpp through pkg-config and gets an rpath to it, so the binary
# runs without LD_LIBRARY_PATH. BOTTICELLI_LLAMA_PREFIX points the tests at llama.cpp's reference tools.
LLAMA_ENV = pkg_dir="$$(scripts/provision-llama)"; \
	export PKG_CONFIG_PATH="$$pkg_dir$${PKG_CONFIG_PATH:+:$$PKG_CONFIG_PATH}"; \
	llama_libdir="$$(pkg-config --variable=libdir llama)"; \
	export BOTTICELLI_LLAMA_PREFIX="$$(scripts/provision-llama --prefix)"; \
	export BOTTICELLI_FIXTURE_MODEL="$$(scripts/fetch-fixture)"
RPATH = -Xlinker -rpath -Xlinker "$$llama_libdir"

.PHONY: run test provision fixture build lint format clean bench bench-engine bench-download bench-cli reliability

run: ## provision llama.cpp, build in release mode, fetch the demo model, generate once, then serve it
	@$(LLAMA_ENV); \
	$(SWIFT) build -c release $(RPATH); \
	binary="$$($(SWIFT) build -c release --show-bin-path)/botticelli_server"; \
	"$$binary" run "$$BOTTICELLI_FIXTURE_MODEL" --prompt "The capital of France is" --max-tokens 32 --temperature 0; \
	"$$binary" start --model "$$BOTTICELLI_FIXTURE_MODEL" --port $${PORT:-8080}

test: ## provision, build, fetch the fixture, run every test suite and check formatting
	@$(LLAMA_ENV); \
	export BOTTICELLI_PYTHON="$$(scripts/python-env)"; \
	eval "$$(scripts/browser-env)"; \
	mkdir -p .build; \
	scripts/template-expectations .build/template-expectations.json; \
	export BOTTICELLI_TEMPLATE_EXPECTATIONS="$$PWD/.build/template-expectations.json"; \
	$(SWIFT) build --build-tests $(RPATH); \
	export BOTTICELLI_BINARY="$$($(SWIFT) build --show-bin-path)/botticelli_server"; \
	$(SWIFT) test --skip-build --no-parallel $(RPATH); \
	scripts/fuzz --fresh --seconds 20; \
	"$$BOTTICELLI_PYTHON" -m pytest -q Tests/python
	@$(MAKE) --no-print-directory lint

.PHONY: fuzz
fuzz: ## fuzz the GGUF reader, the chat-template interpreter, the JSON Schema converter and the request decoders, FUZZ_SECONDS each
	@scripts/fuzz --seconds $(FUZZ_SECONDS)

provision: ## build or find llama.cpp (idempotent)
	@scripts/provision-llama

fixture: ## fetch and verify the SmolLM2 test model
	@scripts/fetch-fixture

build: ## release build
	@$(LLAMA_ENV); $(SWIFT) build -c release $(RPATH)

lint: ## check formatting against .swift-format
	@$(SWIFT) format lint --strict --recursive Package.swift Sources Tests
	@echo "swift format: clean"

format: ## rewrite sources to the house format
	@$(SWIFT) format format --in-place --recursive Package.swift Sources Tests

clean:
	rm -rf .build

bench: ## ours next to llama-server over HTTP, plus the download table: BENCHMARKS.md (~12 min; BENCH_QUICK=1: ~4)
	@$(LLAMA_ENV); \
	$(SWIFT) build -c release $(RPATH); \
	bench/run.sh "$$($(SWIFT) build -c release --show-bin-path)/botticelli_server" \
		"$$BOTTICELLI_FIXTURE_MODEL" "$$BOTTICELLI_LLAMA_PREFIX" release

bench-engine: ## engine decode speed next to llama-bench and llama-batched-bench (a benchmark, not a test)
	@$(LLAMA_ENV); \
	$(SWIFT) build -c release $(RPATH); \
	scripts/bench-engine "$$($(SWIFT) build -c release --show-bin-path)/botticelli_server" \
		"$$BOTTICELLI_FIXTURE_MODEL" "$$BOTTICELLI_LLAMA_PREFIX"

bench-download: ## a 1 GiB download from a loopback stand-in hub: ours next to huggingface_hub, hf_transfer, curl
	@$(LLAMA_ENV); \
	$(SWIFT) build -c release $(RPATH); \
	export BOTTICELLI_BINARY="$$($(SWIFT) build -c release --show-bin-path)/botticelli_server"; \
	export BOTTICELLI_PYTHON="$$(scripts/python-env)"; \
	BOTTICELLI_DOWNLOAD=bench/download/ours.sh bench/download/run.sh

bench-cli: ## how long `models list` and `system` take, end to end (hyperfine; the goal is well under 100 ms)
	@$(LLAMA_ENV); \
	$(SWIFT) build -c release $(RPATH); \
	command -v hyperfine >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y hyperfine >/dev/null; } || \
		{ echo "bench-cli needs hyperfine (apt-get install hyperfine, brew install hyperfine)" >&2; exit 1; }; \
	binary="$$($(SWIFT) build -c release --show-bin-path)/botticelli_server"; \
	hyperfine -N --warmup 3 --runs 30 "$$binary models list" "$$binary system" "$$binary models list --all --json"

reliability: ## the reliability suites with a long load and more faults and kills, written into RELIABILITY.md
	@$(LLAMA_ENV); \
	export BOTTICELLI_PYTHON="$$(scripts/python-env)"; \
	$(SWIFT) build --build-tests $(RPATH); \
	export BOTTICELLI_BINARY="$$($(SWIFT) build --show-bin-path)/botticelli_server"; \
	rm -f .build/reliability.json; \
	export RELIABILITY_REPORT="$$PWD/.build/reliability.json"; \
	BOTTICELLI_FAULT_DOWNLOADS=$${BOTTICELLI_FAULT_DOWNLOADS:-400} \
		$(SWIFT) test --skip-build $(RPATH) --filter DownloadFaultSequenceTests; \
	RELIABILITY_CLIENTS=$${RELIABILITY_CLIENTS:-64} RELIABILITY_SECONDS=$${RELIABILITY_SECONDS:-180} \
	RELIABILITY_PULL_KILLS=$${RELIABILITY_PULL_KILLS:-6} RELIABILITY_CONFIG_KILLS=$${RELIABILITY_CONFIG_KILLS:-300} \
		"$$BOTTICELLI_PYTHON" -m pytest -q Tests/python/test_reliability.py Tests/python/test_crash_safety.py; \
	scripts/reliability-report .build/reliability.json
