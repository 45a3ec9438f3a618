# pipehang: one entry point.
#   make          build everything (userspace, reproducers, CLI, tests)
#   make run      the main job: judge the default Debian kernel
#   make test     install what is missing, build, run every test (CTest) but
#                 the debug-kernel ones (scripts/make-test.sh)
#   make test-debug  pipewatch.ko's VM tests on a KASAN + lockdep kernel
#   make bench    run the benchmarks; they print measured figures
BUILD ?= build
JOBS  ?= $(shell nproc)
# CTest arguments, e.g. make test CTEST_ARGS='-L unit'
CTEST_ARGS ?=
# Tests run three at a time: the bisect chain (one fixture tree; RESOURCE_LOCK
# bisect_fixture keeps its tests apart and COST starts it first) beside the
# boots, downloads and unit tests, many of which wait more than they compute.
# While pipehang compiles, the fixture's kernel is built in the background
# (scripts/make-test.sh). TEST_JOBS=1 runs them one by one. A skipped test
# fails `make test` (scripts/no-skips.sh) unless ALLOW_SKIPS=1.
TEST_JOBS ?= 3

.PHONY: all build deps deps-vm deps-kernel run test test-debug bench clean bisect-demo bisect-demo-planted bisect-demo-merges

all: build

deps:
	@scripts/install-deps.sh build

deps-vm:
	@scripts/install-deps.sh build vm

deps-kernel:
	@scripts/install-deps.sh build vm kernel-build

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: deps-vm build
	scripts/run.sh $(BUILD)

test: deps-kernel
	@scripts/make-test.sh $(BUILD) $(JOBS) $(TEST_JOBS) $(CTEST_ARGS)

# pipewatch.ko under the kernel's own checkers (KASAN, lockdep, atomic
# sleep, debug objects): a debug kernel whose cold build is too long for
# `make test`'s budget. Run it before resolving anything that touches kmod/.
test-debug: deps-kernel build
	cd $(BUILD) && ctest --output-on-failure --timeout 3600 -L debug $(CTEST_ARGS)

bench: deps-vm build
	scripts/bench.sh $(BUILD)

# Replays the real history of the bug on a local kernel history: syzbot's
# openat2 false bisection, then pipehang finding the given good end bad,
# searching back and finding the real culprit (docs/bisect.md).
bisect-demo: deps-kernel build
	scripts/bisect-demo/demo.sh replay $(BUILD)

# The real bug on a merge-heavy history (topic branches merged into a
# tagged mainline): syzbot mode blames the merge that brings openat2 in,
# pipehang finds the culprit on its topic branch (docs/bisect.md).
bisect-demo-merges: deps-kernel build
	scripts/bisect-demo/demo.sh merges $(BUILD)

# The first demo: a planted splice hang on a 30-commit history.
bisect-demo-planted: deps-kernel build
	scripts/bisect-demo/demo.sh planted $(BUILD)

clean:
	rm -rf $(BUILD)
