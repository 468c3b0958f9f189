#!/usr/bin/env bash
# Builds the portal (portal/dist, embedded by `poolside serve`) when it is
# missing or older than its sources: npm ci from the lockfile, then vite build.
set -euo pipefail
cd "$(dirname "$0")"
stamp=dist/index.html
if [[ -f "$stamp" ]] && [[ -z "$(find index.html src public package-lock.json vite.config.js -newer "$stamp" -print -quit)" ]]; then
  exit 0
fi
bash ../.ci/npm-locked.sh . vite # npm ci, or the locked versions when npm ci refuses the lockfile
echo "portal: vite build" >&2
npx --no-install vite build --logLevel warn
