# kcache — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
VENV := .venv
PYTHON := $(VENV)/bin/python
RUN_ARGS ?=

.PHONY: all deps venv python-ext build release run test lint fmt header example bench clean install install-built

all: build

# System packages (LLVM 19 and friends), installed with apt-get when missing.
deps: .deps-stamp
.deps-stamp: scripts/install-deps.sh
	./scripts/install-deps.sh
	@touch $@

# A local virtual environment with NumPy for the CPython oracle (tests).
venv: $(VENV)/.stamp
$(VENV)/.stamp: python/requirements-test.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r python/requirements-test.txt
	@touch $@

build: deps
	$(CARGO) build --workspace --bins --lib

release: deps
	$(CARGO) build --release --workspace --bins --lib

# Runs kcached in the foreground with the default socket and store (Ctrl-C stops it).
run: release
	./target/release/kcached $(RUN_ARGS)

# The Python package's C call path (kcache/_fast*.so), built in place for the tests.
# The venv is made from python3, so python3 knows its suffix and headers before the venv exists.
PYEXT_SUFFIX = $(shell python3 -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))")
PYEXT = python/kcache/_fast$(PYEXT_SUFFIX)
python-ext: venv $(PYEXT)
$(PYEXT): python/kcache/_fast.c
	$(CC) -O2 -Wall -Wextra -Werror -shared -fPIC \
		-I$$(python3 -c "import sysconfig; print(sysconfig.get_paths()['include'])") $< -o $@

# The tests read the in-repo corpus (tests/kernels). A shared corpus beside the checkout
# (../shared/kernels) is run as well when it exists: its files that tests/kernels lacks.
SHARED_KERNELS := $(abspath ../shared/kernels)
EXTRA_KERNELS_ENV = $(if $(wildcard $(SHARED_KERNELS)/*.py),KCACHE_EXTRA_KERNELS=$(SHARED_KERNELS))

test: deps venv python-ext
	@if [ -d "$(SHARED_KERNELS)" ]; then \
		echo "make test: also running the shared corpus in $(SHARED_KERNELS)"; \
	else \
		echo "make test: no shared corpus at $(SHARED_KERNELS): skipping it (tests/kernels still runs)"; \
	fi
	./scripts/check-test-paths.sh
	$(CARGO) fmt --all --check
	$(CARGO) build --workspace --all-targets
	$(EXTRA_KERNELS_ENV) KCACHE_PYTHON=$(abspath $(PYTHON)) $(CARGO) test --workspace
	$(EXTRA_KERNELS_ENV) $(PYTHON) -m pytest python/tests -q
	$(CARGO) clippy --workspace --all-targets -- -D warnings

lint: deps
	./scripts/check-test-paths.sh
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

# Regenerates include/kcache.h from client/src/ffi.rs and abi/src/lib.rs.
header:
	KCACHE_BLESS=1 $(CARGO) test -p kcache-client --test header

# The C example: build/compute_sum, linked against target/release/libkcache.so.
example: release
	mkdir -p build
	$(CC) -O2 -Wall -o build/compute_sum examples/c/compute_sum.c -Iinclude \
		-Ltarget/release -lkcache -Wl,-rpath,$(abspath target/release)
	$(CC) -O2 -Wall -o build/returns_array examples/c/returns_array.c -Iinclude \
		-Ltarget/release -lkcache -lm -Wl,-rpath,$(abspath target/release)
	@echo "built build/compute_sum and build/returns_array: start kcached (make run), then run them"

# Installs kcached, kcache, libkcache.{so,a}, libkcache_export_runtime.a (for kcache export), include/kcache.h, a pkg-config file and a CMake
# package (find_package(kcache), target kcache::kcache) under $(DESTDIR)$(PREFIX), after a
# release build (PROFILE=debug: a debug build). `install-built` copies without building.
PREFIX ?= /usr/local
PROFILE ?= release
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
INSTALL_DIR = $(DESTDIR)$(PREFIX)
BUILT = target/$(PROFILE)
install: $(if $(filter debug,$(PROFILE)),build,release)
	@$(MAKE) --no-print-directory install-built PREFIX=$(PREFIX) PROFILE=$(PROFILE) DESTDIR=$(DESTDIR)

install-built:
	@for f in kcached kcache libkcache.so libkcache.a libkcache_export_runtime.a; do \
		test -f $(BUILT)/$$f || { echo "install: $(BUILT)/$$f is missing: build first (make install builds)" >&2; exit 1; }; \
	done
	install -d $(INSTALL_DIR)/bin $(INSTALL_DIR)/lib/pkgconfig $(INSTALL_DIR)/lib/cmake/kcache $(INSTALL_DIR)/include
	install -m 0755 $(BUILT)/kcached $(BUILT)/kcache $(INSTALL_DIR)/bin/
	install -m 0755 $(BUILT)/libkcache.so $(INSTALL_DIR)/lib/
	install -m 0644 $(BUILT)/libkcache.a $(INSTALL_DIR)/lib/
	install -m 0644 $(BUILT)/libkcache_export_runtime.a $(INSTALL_DIR)/lib/
	install -m 0644 include/kcache.h include/kcache.hpp $(INSTALL_DIR)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' packaging/pkgconfig/kcache.pc.in \
		> $(INSTALL_DIR)/lib/pkgconfig/kcache.pc
	install -m 0644 packaging/cmake/kcacheConfig.cmake $(INSTALL_DIR)/lib/cmake/kcache/
	sed -e 's|@VERSION@|$(VERSION)|' packaging/cmake/kcacheConfigVersion.cmake.in \
		> $(INSTALL_DIR)/lib/cmake/kcache/kcacheConfigVersion.cmake
	@echo "installed kcache $(VERSION) under $(INSTALL_DIR)"

clean:
	$(CARGO) clean
	rm -rf build $(VENV) .deps-stamp

# Benchmarks against Numba, C (gcc -O3 / -ffast-math) and NumPy; rewrites bench/RESULTS.md (~2-3 minutes).
# BENCH_ARGS is passed to bench/run.py, e.g. BENCH_ARGS=--quick.
BENCH_ARGS ?=
bench: deps
	./bench/run.sh $(BENCH_ARGS)
