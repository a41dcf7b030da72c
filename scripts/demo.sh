#!/usr/bin/env bash
# The main job end to end: check this machine, then `prodsprint sprint` each example service
# from its own Git repository to production: import → audit → plan → (self-)approval → apply
# behind the gates → staging → release to prod → a signed audit bundle, verified. Then a change
# to orders-api is sprinted again: with a version now in prod, that release is a real canary,
# 1% → 5% → 25% → 100%, each step analysed. Embedded defaults only: SQLite, the local Docker
# Engine (started if needed), HAProxy and Prometheus on 127.0.0.1.
#
#   scripts/demo.sh [example ...]     default: orders-api inventory-api, then the change round
#
# Each sprint's summary is also written as JSON to $PRODSPRINT_HOME/demo/<name>.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PRODSPRINT_HOME="${PRODSPRINT_HOME:-$PWD/.cache/demo-data}"
prodsprint() { node bin/prodsprint.mjs "$@"; }
say() { printf '\n\033[1m$ prodsprint %s\033[0m\n' "$*"; }
commit() { git -C "$1" -c user.name=demo -c user.email=demo@localhost commit -q -m "$2"; }

examples=("$@")
[ "${#examples[@]}" -gt 0 ] || examples=(orders-api inventory-api)
for example in "${examples[@]}"; do
  [ -d "examples/$example" ] || { echo "demo: no example named '$example' (see examples/)" >&2; exit 2; }
done

# The example lives in this repository; a team's service lives in its own. Make it one, at a
# stable path, so running the demo again sprints the same project to a new version.
repo_of() {
  local example="$1" repo="$PRODSPRINT_HOME/demo/repos/$1"
  mkdir -p "$repo"
  find "$repo" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
  cp -a "examples/$example/." "$repo/"
  # What a local test run leaves behind is not part of the service.
  find "$repo" -path "$repo/.git" -prune -o \
    \( -name coverage -o -name __pycache__ -o -name .pytest_cache \) -prune -exec rm -rf {} +
  [ -d "$repo/.git" ] || git -C "$repo" init -q -b main
  git -C "$repo" add -A
  git -C "$repo" diff --cached --quiet || commit "$repo" "$example"
  printf '%s' "$repo"
}

status=0
sprint() {
  local repo="$1" summary="$PRODSPRINT_HOME/demo/$2.json"
  say "sprint $repo --yes-i-approve --osv examples/osv --summary-file $summary"
  prodsprint sprint "$repo" --yes-i-approve --osv examples/osv --summary-file "$summary" ||
    status=$?
}

say init;    prodsprint init
say doctor;  prodsprint doctor

for example in "${examples[@]}"; do sprint "$(repo_of "$example")" "$example"; done

if [ "$#" -eq 0 ] && [ "$status" -eq 0 ]; then
  # A day later, orders-api 1.1.0. Prod now runs the version above, so this release is a canary
  # from it rather than a first release's single switch.
  repo="$PRODSPRINT_HOME/demo/repos/orders-api"
  printf '\n\033[1m# orders-api 1.1.0: a change, sprinted again (a canary from the version in prod)\033[0m\n'
  sed -i 's/"version": "1.0.0"/"version": "1.1.0"/' "$repo/package.json"
  git -C "$repo" add -A && commit "$repo" "orders-api 1.1.0"
  sprint "$repo" orders-api-1.1.0
fi
printf '\nData dir: %s (set PRODSPRINT_HOME or --data-dir to use another).\n' "$PRODSPRINT_HOME"
exit "$status"
