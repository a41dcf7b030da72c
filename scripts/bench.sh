#!/usr/bin/env bash
# `npm run bench -- <name>` runs bench/<name> (bench/<name>/index.ts or bench/<name>.ts).
# Benches print readable lines and, last, one JSON object of their figures. They never assert.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
name="${1:-}"
if [ -z "$name" ]; then
  echo "usage: npm run bench -- <name>; available:" >&2
  ls bench | sed -e 's/\.ts$//' -e '/^README/d' -e 's/^/  /' >&2
  exit 2
fi
shift
for entry in "bench/$name/index.ts" "bench/$name.ts"; do
  [ -f "$entry" ] && exec node --expose-gc "$entry" "$@"
done
echo "bench: no bench named '$name' (looked for bench/$name/index.ts and bench/$name.ts)" >&2
exit 2
