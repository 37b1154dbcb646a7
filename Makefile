# jim: build, test, benchmark and install the five tools.
#   make              release build (Swift runtime linked statically)
#   make test         every test: units, in-process tools, end-to-end pipelines
#   make demo         the whole suite on a free loopback port, in a few seconds
#   make bench        benchmarks against jq, mosquitto and nats-server (bench/run)
#   make stress       hostile clients, nothing lost, 10,000 connections, faults (stress/run, about a minute)
#   make install      PREFIX=/usr/local DESTDIR= (binaries, man pages, completions)
#   make fuzz         each libFuzzer target for FUZZ_SECONDS (default 60) on its seed corpus (fuzz/run)
#   make check-sanitizers  the tests under the address and the thread sanitizer
#   make uninstall    the same PREFIX and DESTDIR: removes exactly the files install put there
#   JIM_BIN=DIR       install and completions take the tools from DIR instead of building a release
SHELL := /bin/bash
SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=
TOOLS := jim-serve jim-send jim-listen jim-encode jim-decode
RELEASE_FLAGS := -c release --static-swift-stdlib
BINDIR := $(DESTDIR)$(PREFIX)/bin
MAN1DIR := $(DESTDIR)$(PREFIX)/share/man/man1
MAN7DIR := $(DESTDIR)$(PREFIX)/share/man/man7
BASHDIR := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
FUZZ_SECONDS ?= 60
# Where the built tools are: $(JIM_BIN) if given (nothing is built), else the release build.
JIM_BIN ?=
TOOLS_DEP := $(if $(JIM_BIN),,build)
TOOLS_DIR = $(if $(JIM_BIN),$(JIM_BIN),$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path))

.PHONY: all build test bench stress demo install uninstall completions man-lint clean fuzz check-sanitizers

all: build

build:
	$(SWIFT) build $(RELEASE_FLAGS)

test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: build
	JIM_BIN="$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)" bench/run

stress: $(TOOLS_DEP)
	stress/run --bin "$(TOOLS_DIR)"

demo: build
	JIM_BIN="$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)" scripts/demo

completions: $(TOOLS_DEP)
	@set -e; bin="$(TOOLS_DIR)"; \
	mkdir -p completions/bash completions/zsh completions/fish; \
	for t in $(TOOLS); do \
	  "$$bin/$$t" --generate-completion bash > completions/bash/$$t; \
	  "$$bin/$$t" --generate-completion zsh > completions/zsh/_$$t; \
	  "$$bin/$$t" --generate-completion fish > completions/fish/$$t.fish; \
	done

fuzz:
	SWIFTC="$$(dirname "$$(command -v $(SWIFT))")/swiftc" fuzz/run $(FUZZ_SECONDS)

check-sanitizers:
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	JIM_STRESS_SANITIZED=1 LSAN_OPTIONS=suppressions=$(CURDIR)/fuzz/lsan.supp $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	JIM_STRESS_SANITIZED=1 $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan

man-lint:
	mandoc -Tlint -W warning man/*.1 man/*.7

install: $(TOOLS_DEP)
	@set -e; bin="$(TOOLS_DIR)"; \
	install -d "$(BINDIR)" "$(MAN1DIR)" "$(MAN7DIR)" "$(BASHDIR)" "$(ZSHDIR)" "$(FISHDIR)"; \
	for t in $(TOOLS); do \
	  install -m 755 "$$bin/$$t" "$(BINDIR)/$$t"; \
	  install -m 644 "man/$$t.1" "$(MAN1DIR)/$$t.1"; \
	  install -m 644 "completions/bash/$$t" "$(BASHDIR)/$$t"; \
	  install -m 644 "completions/zsh/_$$t" "$(ZSHDIR)/_$$t"; \
	  install -m 644 "completions/fish/$$t.fish" "$(FISHDIR)/$$t.fish"; \
	done; \
	install -m 644 man/jim.7 "$(MAN7DIR)/jim.7"

uninstall:
	for t in $(TOOLS); do \
	  rm -f "$(BINDIR)/$$t" "$(MAN1DIR)/$$t.1" "$(BASHDIR)/$$t" "$(ZSHDIR)/_$$t" "$(FISHDIR)/$$t.fish"; \
	done; \
	rm -f "$(MAN7DIR)/jim.7"

clean:
	$(SWIFT) package clean
	rm -rf bench/out
