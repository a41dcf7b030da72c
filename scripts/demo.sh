#!/usr/bin/env bash
# The main job, as far as this build goes: set up a data dir, check the machine, and tour what a
# sprint does. Later issues replace the tour with `prodsprint sprint` on an example service.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PRODSPRINT_HOME="${PRODSPRINT_HOME:-$PWD/.cache/demo-data}"
prodsprint() { node bin/prodsprint.mjs "$@"; }
say() { printf '\n\033[1m$ prodsprint %s\033[0m\n' "$*"; }

say version;            prodsprint version
say init;               prodsprint init
say doctor;             prodsprint doctor
say tour;               prodsprint tour
say 'version --json';   prodsprint version --json
printf '\nData dir: %s (set PRODSPRINT_HOME or --data-dir to use another).\n' "$PRODSPRINT_HOME"
