# The two commands of the README, and the steps behind them.
#   make demo    install what is missing, build, run the demo guest
#   make check   install what is missing, build, run every test
# Other targets: deps, build, check-sanitize, bench, clean.

BUILD ?= build
SANITIZE_BUILD ?= build-sanitize
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps build check check-sanitize demo bench clean

all: build

deps:
	@scripts/deps.sh

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

check: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# The ASan+UBSan build, running the tests labelled "sanitize".
check-sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD) -DOUTBOARD_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_BUILD) -j$(JOBS)
	ctest --test-dir $(SANITIZE_BUILD) -L sanitize --output-on-failure -j$(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)

bench: build
	@bench/run $(BUILD)

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD)
