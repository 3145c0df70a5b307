# iopaths.  `make` builds build/iopaths; `make test` and `make bench` first
# check the dependencies (scripts/deps.sh installs what is missing as root).
CC ?= cc
CFLAGS ?= -O2 -g
LDFLAGS ?=
# Always on, whatever CFLAGS says: the project builds warning-free or not at all.
WARN := -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE
HARNESS_DIRS := harness/core harness/sinks harness/plan harness/tools harness/lib harness/demo harness/serve
INCLUDES := $(addprefix -I,$(HARNESS_DIRS)) -Ibenches -Idemos -Itests
LIBS := -lcsv -lm -luring -pthread
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

HARNESS := $(foreach d,$(HARNESS_DIRS),$(wildcard $(d)/*.c))
BENCHES := $(wildcard benches/*.c)
DEMOS := $(wildcard demos/*.c)
TESTS := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))

LIB_OBJS := $(patsubst %.c,build/obj/%.o,$(HARNESS) $(BENCHES) $(DEMOS))
ASAN_LIB_OBJS := $(patsubst %.c,build/asan/obj/%.o,$(HARNESS) $(BENCHES) $(DEMOS))

# The variables a user passes (make plots RUN=results/<id>, ...) are data,
# never code: a folder's name is part of a results folder passed between
# people.  Each is made a simple variable holding its text as given ($(value):
# make expands no $(...) in it, not even when exporting it) and reaches the
# scripts only through their environment, exported when set; a recipe
# names it as "$$RUN" and never pastes $(RUN) into its shell text.
USER_VARS := RUN A B C D DIR QUICK OUT STRATEGIES SINKS SIZES FIGURES NAMES FS STRATEGY SIZE
USER_VARS += PLANT_NS WORKERS # make power (issue 19)
$(foreach v,$(USER_VARS),$(eval override $(v) := $$(value $(v))))
export $(foreach v,$(USER_VARS),$(if $(value $(v)),$(v)))

.PHONY: all test test-large bench bench-serve bench-pressure plots lecture design compare bench-fs aa deps clean profile mutants lint demos print-includes
.PHONY: power
all: build/iopaths

# A newcomer's plain `make` gets the one install line, not a compiler error.
# Checked once per build folder; `make test` and `make bench` install as root.
build/deps-checked:
	@scripts/deps.sh --build
	@mkdir -p build && touch $@

# The git revision goes into meta.csv; rebuild meta.o only when it changes.
GIT_REVISION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
build/revision: FORCE
	@mkdir -p build
	@echo '$(GIT_REVISION) $(CFLAGS)' | cmp -s - $@ || echo '$(GIT_REVISION) $(CFLAGS)' > $@
.PHONY: FORCE
REVISION_DEFS = -DIOPATHS_GIT_REVISION='"$(GIT_REVISION)"' -DIOPATHS_CFLAGS='"$(CFLAGS)"'
build/obj/harness/core/meta.o build/asan/obj/harness/core/meta.o: build/revision
build/obj/harness/core/meta.o build/asan/obj/harness/core/meta.o: EXTRA_DEFS = $(REVISION_DEFS)

build/obj/%.o: %.c | build/deps-checked
	@mkdir -p $(@D)
	$(CC) $(WARN) $(INCLUDES) $(CFLAGS) $(EXTRA_DEFS) -MMD -MP -c $< -o $@

build/asan/obj/%.o: %.c | build/deps-checked
	@mkdir -p $(@D)
	$(CC) $(WARN) $(INCLUDES) $(CFLAGS) $(SANITIZE) $(EXTRA_DEFS) -MMD -MP -c $< -o $@

build/iopaths: build/obj/harness/main.o $(LIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@

build/asan/iopaths: build/asan/obj/harness/main.o $(ASAN_LIB_OBJS)
	$(CC) $(CFLAGS) $(SANITIZE) $(LDFLAGS) $^ $(LIBS) -o $@

build/tests/%: build/obj/tests/%.o build/obj/tests/helpers.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LIBS) -lcmocka -o $@

build/asan/tests/%: build/asan/obj/tests/%.o build/asan/obj/tests/helpers.o $(ASAN_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) $(LDFLAGS) $^ $(LIBS) -lcmocka -o $@

# Tests only: an LD_PRELOAD shim that makes transfers short and interrupted
# (tests/shortio.c).  Normal build only: ASan must be the first library loaded.
build/tests/shortio.so: tests/shortio.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -shared -fPIC $< -o $@ -ldl

deps:
	@scripts/deps.sh

# For scripts/lint.sh: the compiler's include flags, as the build uses them.
print-includes:
	@echo $(INCLUDES)

# The checkers (make lint), then unit and behaviour tests twice, the two at
# once (one a core, to stay under 10 minutes): a normal build, and
# AddressSanitizer + UBSan.
# The build runs one compiler per core: serial, it was a large share of
# make test's time on a fresh clone.
JOBS := $(shell nproc 2>/dev/null || echo 2)
test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) build/iopaths build/asan/iopaths build/tests/shortio.so \
		$(addprefix build/tests/,$(TESTS)) $(addprefix build/asan/tests/,$(TESTS))
	@scripts/lint.sh
	@scripts/test-both.sh $(TESTS)

# Planted bugs (tests/mutants.txt), one at a time in a scratch copy: which
# ones the tests catch.  MUTANTS_JOBS=1 runs them one after another.
mutants: deps
	@scripts/mutants.sh

# The checkers, quiet or a failure: shellcheck, cppcheck, gcc -fanalyzer.
lint: deps
	@scripts/lint.sh

# 3 GiB through every strategy and sink: minutes, not seconds.
test-large: deps
	@$(MAKE) --no-print-directory build/iopaths build/tests/large_transfers
	@scripts/run-tests.sh build large_transfers

# The default sweep (declared at the top of scripts/bench.sh), its figures and page.
# QUICK=1: a reduced sweep in under a minute; DIR=/mnt/x: data on another filesystem.
bench: deps
	@$(MAKE) --no-print-directory build/iopaths
	@scripts/bench.sh

# The same files served by `iopaths serve` (each strategy) and nginx (sendfile
# on and off), checked, then driven by wrk: results/<id>/serve.csv, figures,
# a page.  QUICK=1: under a minute; else under ten (scripts/bench-serve.sh).
bench-serve: deps
	@$(MAKE) --no-print-directory build/iopaths
	@scripts/bench-serve.sh

# The mmap cliff (issue 14): random 4 KiB reads by 8 threads over a file four
# times a memory cgroup's limit, for a fixed time, one row per interval; the
# cliff of each strategy in results/<id>/pressure.csv, figures, a page.  Needs
# root.  <= 10 min, QUICK=1 <= 2 (scripts/bench-pressure.sh); DIR=/mnt/x: data there.
bench-pressure: deps
	@$(MAKE) --no-print-directory build/iopaths
	@scripts/bench-pressure.sh

# Redraw one run's figures and page: make plots RUN=results/<id> (default: the newest).
# [STRATEGIES=read,mmap-shared] [SINKS=process] [SIZES=1M,16M] [FIGURES=faults,writes]
plots: build/iopaths
	@scripts/plots-run.sh

# The lecture's slides, one question each, into plots/<run-id>/lecture/: from
# RUN=results/<id>, or after one reduced sweep (QUICK=1: under a minute).
lecture: deps
	@$(MAKE) --no-print-directory build/iopaths
	@scripts/lecture.sh

# The design slides of issue 11 (access patterns, threads, mapping variants,
# O_DIRECT, io_uring) into plots/<run-id>/design/: from RUN=results/<id>, or
# after their own sweeps (QUICK=1: a minute or two; else under ten).
design: deps
	@$(MAKE) --no-print-directory build/iopaths
	@scripts/design.sh

# Runs against a base: make compare A=results/<x> B=results/<y> [C=... D=...]
compare: build/iopaths
	@scripts/compare.sh $${A:+"$$A"} $${B:+"$$B"} $${C:+"$$C"} $${D:+"$$D"}

# The sweep on loop-device filesystems, then compared: make bench-fs FS="ext4 xfs btrfs tmpfs" [QUICK=1]
# The seed's lessons as experiments, each a prediction and the kernel's answer:
# NAMES="shared-visible use-after-munmap" runs some; results/<id>/demos.csv and a page.
demos: deps
	@$(MAKE) --no-print-directory build/iopaths
	@scripts/demos.sh

bench-fs: deps
	@$(MAKE) --no-print-directory build/iopaths
	@scripts/bench-fs.sh

# An A/A test of compare's verdicts: the bench sweep twice, compared; every
# verdict is false.  make aa [QUICK=1] [DIR=/mnt/x]
aa: deps
	@$(MAKE) --no-print-directory build/iopaths
	@scripts/aa.sh

# compare's power, proven with a planted slowdown of known size: a plain
# sweep, the same sweep with `iopaths run --plant-ns N` for each N, compared;
# per band of expected change (2, 5, 10, 20 %) the share of cells found slower
# and the count of the wrong sign (scripts/power.sh).
# make power [QUICK=1] [DIR=/mnt/x] [PLANT_NS="250 1000 4000"] [WORKERS=K]
power: deps
	@$(MAKE) --no-print-directory build/iopaths
	@scripts/power.sh

# One run under perf record -g: make profile STRATEGY=read SIZE=1G
profile: deps
	@$(MAKE) --no-print-directory build/iopaths
	@scripts/profile.sh "$${STRATEGY:-}" "$${SIZE:-}"

clean:
	rm -rf build

.SECONDARY:
-include $(shell find build -name '*.d' 2>/dev/null)
