#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint, type-check, then every test tier in one vitest run
# (one start-up instead of three), ending with a plain `tests: N passed, N failed` line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p .cache
step() { printf '\n== %s\n' "$*"; }

step "lint (eslint, layering rules included)"
eslint --max-warnings 0 .
step "format (prettier --check)"
prettier --check --log-level warn "**/*.{ts,tsx,js,mjs,cjs,json,yml,yaml}"
step "typecheck (one tsconfig per layer)"
tsc -b
step "tests: unit, integration, e2e"
status=0
vitest run --reporter=default --reporter=json --outputFile.json=.cache/test-results.json || status=$?
node scripts/test-summary.mjs .cache/test-results.json
exit "$status"
