#!/usr/bin/env bash
# Synthesizes the example app (bin/example.ts) into deploy/cdk/cdk.out, offline: its
# stacks PoolsideExample (defaults) and PoolsideExampleFull (-c full=true: every option on)
# are environment-agnostic and makes no lookups. node_modules (the locked
# aws-cdk-lib, aws-cdk CLI, typescript) is installed once and kept here (gitignored).
# The code: each function's own dist/<artifact>-arm64.zip (deploy/functions.txt) as an
# asset when `make build` has written them all; otherwise (a fresh clone, CI) each at a
# placeholder S3 key, s3://poolside-placeholder/<artifact>-arm64.zip, so that checking the
# template needs no Go build. POOLSIDE_CDK_CODE=s3://BUCKET[/PREFIX] forces a location.
set -euo pipefail
cd "$(dirname "$0")"
bash ../../.ci/npm-locked.sh . aws-cdk-lib
npx --no-install tsc
args=(-c full=true)
code="${POOLSIDE_CDK_CODE:-}"
missing=()
for a in $(awk '/^[A-Z]/ {print $2}' ../functions.txt); do
  [[ -f ../../dist/$a-arm64.zip ]] || missing+=("dist/$a-arm64.zip")
done
if [[ -z "$code" && ${#missing[@]} -gt 0 ]]; then
  code=s3://poolside-placeholder
  echo "cdk: no ${missing[0]} (${#missing[@]} zips missing: make build); synthesizing with each function's code at $code/<artifact>-arm64.zip" >&2
fi
[[ -n "$code" ]] && args+=(-c "poolsideCode=$code")
export CDK_DISABLE_CLI_TELEMETRY=true
rm -rf cdk.out
npx --no-install cdk synth --quiet --no-notices --no-version-reporting "${args[@]}" "$@" >/dev/null
echo "cdk: cdk.out/PoolsideExample.template.json cdk.out/PoolsideExampleFull.template.json" >&2
