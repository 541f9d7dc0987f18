# The two commands of the README, and the steps behind them.
#   make demo    install what is missing, build, run the demo guest
#   make check   install what is missing, build, run every test
# Other targets: deps, build, check-sanitize, check-fuzz, bench, clean.

BUILD ?= build
SANITIZE_BUILD ?= build-sanitize
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps build check check-sanitize check-valgrind demo bench clean

all: build

deps:
	@scripts/deps.sh

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

check: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)
	@if command -v clang >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory check-fuzz; \
	else \
		echo "check: clang not found: fuzzing skipped (make check-fuzz needs clang)"; \
	fi

# The ASan+UBSan build, running the tests labelled "sanitize".
check-sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD) -DOUTBOARD_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_BUILD) -j$(JOBS)
	ctest --test-dir $(SANITIZE_BUILD) -L sanitize --output-on-failure -j$(JOBS)

# The guest integration tests with the CPU host and the plugins under
# valgrind (the launcher honours OUTBOARD_WRAPPER). fs-hostdir runs as it is:
# valgrind 3.19 does not know openat2, which it cannot do without.
# Each process writes its own log (-q: only errors and leaks), so a plugin's
# report is seen even though its exit status at shutdown is not the run's.
VALGRIND_LOGS = $(abspath $(BUILD))/valgrind-logs
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --suppressions=$(CURDIR)/tests/valgrind.supp \
	--log-file=$(VALGRIND_LOGS)/%p.log
# One test of each kind of guest work: valgrind runs guest code some 20
# times slower, so this is not part of make check (about 2 minutes).
VALGRIND_TESTS = guest_hello|guest_files_mem|guest_bad_pointer|guest_semihost_parity
VALGRIND_TESTS := $(VALGRIND_TESTS)|guest_fault_null|guest_unknown_syscall|guest_parallel_reads
VALGRIND_TESTS := $(VALGRIND_TESTS)|guest_corrupt_elf|input_echo|sound_tone_wav|display_golden
VALGRIND_TESTS := $(VALGRIND_TESTS)|cpu_kobjs
check-valgrind: build
	rm -rf $(VALGRIND_LOGS) && mkdir -p $(VALGRIND_LOGS)
	OUTBOARD_WRAPPER="$(VALGRIND)" OUTBOARD_WRAPPER_EXCEPT=outboard-fs-hostdir \
	  ctest --test-dir $(BUILD) -R '^($(VALGRIND_TESTS))$$' --output-on-failure
	sh scripts/valgrind-logs.sh $(VALGRIND_LOGS)

# The fuzz tests (label "fuzz", docs/fuzzing.md): a clang build with ASan and
# UBSan of only the fuzz targets, each fuzzing FUZZ_SECONDS, FUZZ_JOBS at once.
.PHONY: check-fuzz
check-fuzz: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DOUTBOARD_FUZZ=ON -DOUTBOARD_SANITIZE=ON \
		-DOUTBOARD_GUESTS=OFF -DOUTBOARD_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_all
	ctest --test-dir $(FUZZ_BUILD) -L fuzz --output-on-failure -j$(FUZZ_JOBS)

demo: build
	@scripts/demo.sh $(BUILD)

bench: build
	@bench/run $(BUILD)

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD)
