# Two commands for a fresh Debian machine: `make up` and `make test`.
# Every target installs what it needs first (Debian packages, npm packages).
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM_STAMP := node_modules/.layerwatch-installed

.PHONY: help up test deps build generate lint format-check typecheck unit bench clean

help:
	@echo "make up    install what is missing, build, run the local stack (Ctrl-C stops it)"
	@echo "make test  install what is missing, then lint, format check, typecheck and every test"
	@echo "make bench run the benchmarks in bench/ (prints ratios against peers)"

deps: $(NPM_STAMP)
	@bash scripts/install-debian-packages.sh

# npm install (never npm ci: see ../shared/TOOLCHAIN.md) whenever a manifest changed.
$(NPM_STAMP): package.json */package.json deploy/*/package.json
	@bash scripts/check-node.sh
	npm install --no-audit --no-fund
	@touch $@

# The Grafana plugin: its Node side (host, tests) is a tsc project; its browser side is
# typechecked apart and built by webpack into grafana-plugin/dist (as create-plugin does).
PLUGIN_BUILD := npx tsc -b grafana-plugin && npm run --silent typecheck -w grafana-plugin && npm run --silent build -w grafana-plugin

build: deps
	npx tsc -b
	$(PLUGIN_BUILD)

# HA=1: the HA stack (two Prometheus replicas and a global one, three Alertmanager peers,
# two remediation replicas on PostgreSQL, two probe daemons sharing the targets).
up: build
	node bin/layerwatch.js up $(if $(filter 1,$(HA)),--ha)

# Every generated artefact from the one config; `make test` runs it with --check.
generate: build
	node bin/layerwatch.js generate

lint: deps
	npx eslint .

format-check: deps
	npx prettier --check .

typecheck: build

unit: build
	npx vitest run

# Typecheck first: type-aware lint rules read the workspaces' built declarations.
test: deps
	$(PLUGIN_BUILD)
	npx tsc -b
	node bin/layerwatch.js generate --check
	npx eslint .
	npx prettier --check .
	npx vitest run

bench: build
	npx tsx bench/run-all.ts

clean:
	rm -rf node_modules */dist */*/dist .state grafana-plugin/build
