# Leadplan — the two commands of the README are `make run` and `make test`.
# Every other target is a part of those two. Nothing here needs a tool installed by hand:
# missing Debian packages, npm packages and tools are installed on first use.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT := $(abspath .)
TOOLS := $(ROOT)/.tools
TAURI_DRIVER := $(TOOLS)/bin/tauri-driver
TAURI_DRIVER_VERSION := 2.1.0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
LOGS := $(ROOT)/target/test-logs
CARGO := cargo
DESKTOP_BIN := $(ROOT)/target/debug/leadplan-desktop

# A CI run builds once from a clean clone: incremental caches (1.3 GB of its ~8 GB) would
# never be read again.
ifneq ($(CI),)
export CARGO_INCREMENTAL := 0
endif

# Building Tauri 2 (webkit2gtk, appindicator, rsvg), a display and a WebDriver for the
# end-to-end tests (with a D-Bus session bus for the single-instance test, and python3-xlib
# to close the window as its close button does), ImageMagick for screenshots, poppler for
# reading PDFs back.
APT_PACKAGES := build-essential pkg-config curl wget file libssl-dev libxdo-dev \
	libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev \
	xvfb xauth webkit2gtk-driver dbus-daemon python3 python3-xlib imagemagick poppler-utils

.PHONY: help run test deps deps-apt deps-toolchain deps-npm ui build check-fmt clippy bindings \
	cargo-test ui-test e2e screenshots crash-test package package-test clean

help:
	@echo "make run    install what is missing, build, open Leadplan on the default workbook"
	@echo "make test   install what is missing, run every check and test"

## ---- the two commands ------------------------------------------------------------------

run: deps build
	$(DESKTOP_BIN)

# Runs every part even when one fails, then prints the counts of all of them.
test: deps ui
	@rm -rf $(LOGS) && mkdir -p $(LOGS)
	@free=$$(df -Pk $(ROOT) | awk 'NR==2 {print int($$4 / 1048576)}'); \
		[ "$$free" -ge 8 ] || echo "warning: $$free GB free on the disk of $(ROOT); a full test run from a clean clone needs about 8 GB"
	@status=0; $(MAKE) --no-print-directory -k check-fmt clippy cargo-test ui-test e2e package-test || status=$$?; \
		scripts/test-summary $(LOGS) || status=1; exit $$status

## ---- installing what is missing --------------------------------------------------------

deps: deps-apt deps-toolchain deps-npm $(TAURI_DRIVER)

deps-apt:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" \
			|| missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

deps-toolchain:
	@command -v cargo >/dev/null || { echo "cargo (Rust 1.95) is required: https://rustup.rs"; exit 1; }
	@command -v node >/dev/null && command -v npm >/dev/null \
		|| { echo "Node.js >= 20.19 with npm is required"; exit 1; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
		|| { echo "Node.js >= 20.19 is required (found $$(node --version))"; exit 1; }

deps-npm: ui/node_modules/.installed tests/e2e/node_modules/.installed

ui/node_modules/.installed: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

tests/e2e/node_modules/.installed: tests/e2e/package.json tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(TAURI_DRIVER):
	$(CARGO) install tauri-driver --version $(TAURI_DRIVER_VERSION) --locked --root $(TOOLS)

## ---- building ------------------------------------------------------------------------

# The desktop binary embeds ui/dist at compile time, so the UI is built first.
ui: deps-npm
	cd ui && npm run --silent build

build: ui
	$(CARGO) build --locked -p leadplan-desktop -p leadplan-cli

## ---- the parts of `make test` -----------------------------------------------------------

check-fmt:
	$(CARGO) fmt --all -- --check

clippy: ui
	$(CARGO) clippy --locked --workspace --all-targets -- -D warnings

cargo-test: ui
	$(CARGO) test --locked --workspace 2>&1 | tee $(LOGS)/cargo.log

ui-test: deps-npm
	cd ui && npm run --silent check
	cd ui && npx vitest run 2>&1 | tee $(LOGS)/vitest.log

e2e: build $(TAURI_DRIVER)
	LEADPLAN_APP=$(DESKTOP_BIN) TAURI_DRIVER=$(TAURI_DRIVER) \
		xvfb-run -a -s "-screen 0 1280x800x24" \
		node --test --test-concurrency=1 --test-reporter=spec tests/e2e/*.test.mjs 2>&1 | tee $(LOGS)/e2e.log

## ---- extras -----------------------------------------------------------------------------

# README screenshots of the real window, made under Xvfb.
screenshots: build $(TAURI_DRIVER)
	LEADPLAN_APP=$(DESKTOP_BIN) TAURI_DRIVER=$(TAURI_DRIVER) \
		xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/screenshots.mjs docs/screenshots

# The crash-safety run of docs/reliability.md: 210 processes killed at random moments.
crash-test:
	LEADPLAN_CRASH_KILLS=210 $(CARGO) test --locked --release -p leadplan-cli --test crash -- --nocapture

# A Debian package of the app (with the leadplan command) in target/release/bundle/deb/.
# The tauri command takes CI only as true or false; a runner may set CI=1.
package: deps ui
	$(CARGO) build --locked --release -p leadplan-cli
	$(if $(CI),CI=true) ui/node_modules/.bin/tauri build --bundles deb
	@ls -1 $(ROOT)/target/release/bundle/deb/*.deb

# Builds the package and checks what it holds (part of `make test`).
package-test: package
	@mkdir -p $(LOGS)
	node --test --test-reporter=spec tests/package/*.test.mjs 2>&1 | tee $(LOGS)/package.log

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules tests/e2e/node_modules $(TOOLS)

# Writes ui/src/bindings anew from the Rust types (a test checks they are current).
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test --locked -p leadplan-desktop --test bindings
