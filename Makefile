# jim: build, test, benchmark and install the five tools.
#   make              release build (Swift runtime linked statically)
#   make test         every test: units, in-process tools, end-to-end pipelines
#   make demo         the whole suite on a free loopback port, in a few seconds
#   make bench        benchmarks against jq, mosquitto and nats-server (bench/run)
#   make install      PREFIX=/usr/local DESTDIR= (binaries, man pages, completions)
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

.PHONY: all build test bench demo install uninstall completions man-lint clean

all: build

build:
	$(SWIFT) build $(RELEASE_FLAGS)

test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: build
	JIM_BIN="$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)" bench/run

demo: build
	JIM_BIN="$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)" scripts/demo

completions: build
	@bin="$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)"; \
	mkdir -p completions/bash completions/zsh completions/fish; \
	for t in $(TOOLS); do \
	  "$$bin/$$t" --generate-completion bash > completions/bash/$$t; \
	  "$$bin/$$t" --generate-completion zsh > completions/zsh/_$$t; \
	  "$$bin/$$t" --generate-completion fish > completions/fish/$$t.fish; \
	done

man-lint:
	mandoc -Tlint -W warning man/*.1 man/*.7

install: build
	@bin="$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)"; \
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
