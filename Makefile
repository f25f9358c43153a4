# Tautband — the two commands a new user runs are `make run` and `make test`.
# Everything else is listed by `make help`.

BUILD_DIR   ?= build
ASAN_DIR    ?= build-asan
FUZZ_DIR    ?= build-fuzz
BENCH_OUT   ?= $(CURDIR)/$(BUILD_DIR)/bench
JOBS        ?= $(shell nproc)
OUT         ?= tautband-screenshot.png
CMAKE_FLAGS ?=

SHELL       := /bin/bash
.SHELLFLAGS := -o pipefail -ec
.DEFAULT_GOAL := help
.PHONY: help deps configure build run test test-asan bench screenshot format fuzz install clean

help: ## List the make targets
	@echo "Tautband make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

deps: ## Install missing Debian packages (idempotent; asks for sudo when not root)
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/build.ninja ## Configure the Release build in build/

build: configure ## Build everything
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build ## Build and start the console with simulated laser and EMG devices
	$(BUILD_DIR)/bin/tautband --simulate $(ARGS)

test: build ## Build and run every test except the benchmarks, headless
	cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -LE bench -j $(JOBS)

test-asan: deps ## Build with AddressSanitizer + UBSan in build-asan/ and run the tests
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTAUTBAND_SANITIZE=address,undefined
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=0 \
	  UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -LE bench -j $(JOBS)

bench: build ## Build in Release and run every benchmark; JSON lands in build/bench/
	@mkdir -p $(BENCH_OUT) && rm -f $(BENCH_OUT)/*.json
	cd $(BUILD_DIR) && TAUTBAND_BENCH_OUT=$(BENCH_OUT) ctest --output-on-failure -L bench -j 1 \
	  | $(CURDIR)/scripts/bench-summary.sh $(BENCH_OUT)

screenshot: build ## Render the console's first frame headless: make screenshot OUT=file.png
	xvfb-run -a -s "-screen 0 1280x800x24" $(BUILD_DIR)/bin/tautband \
	  --data-dir $(CURDIR)/$(BUILD_DIR)/screenshot-data --screenshot $(abspath $(OUT)) $(ARGS)
	@echo "screenshot saved to $(abspath $(OUT))"

format: ## Format our C++ sources with clang-format
	git ls-files '*.cpp' '*.h' '*.c' | xargs clang-format -i

install: build ## Install into PREFIX (default /usr/local)
	cmake --install $(BUILD_DIR) --prefix $(or $(PREFIX),/usr/local)

clean: ## Remove the build folders
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR)

FUZZ_RUNS    ?= 10000000
FUZZ_TARGETS := frame_decoder envelope driver_cyton driver_bitalino driver_scpi_laser
fuzz: ## Run each libFuzzer target for FUZZ_RUNS inputs (default 10^7) under ASan/UBSan in build-fuzz/
	cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_CXX_COMPILER=clang++ -DTAUTBAND_FUZZ=ON -DTAUTBAND_SANITIZE=address,undefined
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	@failed=""; for t in $(FUZZ_TARGETS); do \
	  work=$(FUZZ_DIR)/fuzz/$$t; mkdir -p $$work/corpus $$work/artifacts; \
	  echo "fuzz $$t: $(FUZZ_RUNS) inputs (log: $$work/fuzz.log)"; \
	  if $(FUZZ_DIR)/tests/fuzz/fuzz_$$t -runs=$(FUZZ_RUNS) -print_final_stats=1 \
	       -artifact_prefix=$$work/artifacts/ $$work/corpus $$(ls -d tests/fuzz/corpus/$$t tests/fuzz/drivers/corpus/$$t 2>/dev/null) \
	       > $$work/fuzz.log 2>&1; then \
	    echo "fuzz $$t: no crash; $$(grep -E '^Done [0-9]+ runs' $$work/fuzz.log)"; \
	  else \
	    tail -n 40 $$work/fuzz.log; failed="$$failed $$t"; \
	    echo "fuzz $$t: CRASH, reproducer(s): $$(ls $$work/artifacts)"; \
	  fi; \
	done; if [ -n "$$failed" ]; then echo "fuzz FAILED:$$failed"; exit 1; fi; echo "fuzz: all targets clean"
