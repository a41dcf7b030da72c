#!/usr/bin/env bash
# The main job, as far as this build goes: check the machine, import a real example service
# from a Git repository, audit it, plan its way to production, and hand a compliance reviewer a
# signed audit bundle that verifies offline. Later issues extend it to `prodsprint sprint`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PRODSPRINT_HOME="${PRODSPRINT_HOME:-$PWD/.cache/demo-data}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
prodsprint() { node bin/prodsprint.mjs "$@"; }
say() { printf '\n\033[1m$ prodsprint %s\033[0m\n' "$*"; }

say init;    prodsprint init
say doctor;  prodsprint doctor

# The example lives in this repository; a team's service lives in its own. Make it one.
cp -r examples/orders-api "$work/orders-api"
git -C "$work/orders-api" init -q -b main
git -C "$work/orders-api" add -A
git -C "$work/orders-api" -c user.name=demo -c user.email=demo@localhost commit -q -m "orders-api"

name="orders-api-$(date +%s)"
say "import $work/orders-api --name $name"
project="$(prodsprint import "$work/orders-api" --name "$name" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).projectId))')"
echo "Imported as $project"
say "audit $project";  prodsprint audit "$project"
say "plan $project --target docker --domain orders.example.com --out $work/plan"
prodsprint plan "$project" --target docker --domain orders.example.com --cost-ceiling 200 --out "$work/plan"
say "audit export -o $PRODSPRINT_HOME/demo-audit.tar.gz --project $project"
prodsprint audit export -o "$PRODSPRINT_HOME/demo-audit.tar.gz" --project "$project"
say "audit verify $PRODSPRINT_HOME/demo-audit.tar.gz"
prodsprint audit verify "$PRODSPRINT_HOME/demo-audit.tar.gz"
say tour;    prodsprint tour
printf '\nData dir: %s (set PRODSPRINT_HOME or --data-dir to use another).\n' "$PRODSPRINT_HOME"
