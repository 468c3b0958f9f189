#!/usr/bin/env bash
# Synthesizes the example app (bin/example.ts) into deploy/cdk/cdk.out, offline: its
# stacks PoolsideExample (defaults) and PoolsideExampleFull (-c full=true: every option on)
# are environment-agnostic and makes no lookups. node_modules (the locked
# aws-cdk-lib, aws-cdk CLI, typescript) is installed once and kept here (gitignored).
# The code: dist/poolside-arm64.zip as an asset when `make build` has written it;
# otherwise (a fresh clone, CI) a placeholder S3 location, so that checking the
# template needs no Go build. POOLSIDE_CDK_CODE=s3://BUCKET/KEY forces a location.
set -euo pipefail
cd "$(dirname "$0")"
bash ../../.ci/npm-locked.sh . aws-cdk-lib
npx --no-install tsc
args=(-c full=true)
code="${POOLSIDE_CDK_CODE:-}"
if [[ -z "$code" && ! -f ../../dist/poolside-arm64.zip ]]; then
  code=s3://poolside-placeholder/poolside-arm64.zip
  echo "cdk: no dist/poolside-arm64.zip (make build); synthesizing with code at $code" >&2
fi
[[ -n "$code" ]] && args+=(-c "poolsideCode=$code")
export CDK_DISABLE_CLI_TELEMETRY=true
rm -rf cdk.out
npx --no-install cdk synth --quiet --no-notices --no-version-reporting "${args[@]}" "$@" >/dev/null
echo "cdk: cdk.out/PoolsideExample.template.json cdk.out/PoolsideExampleFull.template.json" >&2
