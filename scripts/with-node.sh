#!/usr/bin/env bash
# Runs a command with the project's Node (see node-env.sh) first on PATH.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
if [ "$(prodsprint_node_major)" -lt "$PRODSPRINT_MIN_NODE_MAJOR" ]; then
  echo "prodsprint: Node >= $PRODSPRINT_MIN_NODE_MAJOR is needed; run 'npm run setup' first." >&2
  exit 1
fi
exec "$@"
