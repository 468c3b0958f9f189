#!/usr/bin/env bash
# Builds the portal (portal/dist, embedded by `poolside serve`) when it is
# missing or older than its sources: npm ci from the lockfile, then vite build.
set -euo pipefail
cd "$(dirname "$0")"
command -v npm >/dev/null 2>&1 || { echo "portal: npm not found (Debian package npm)" >&2; exit 1; }
stamp=dist/index.html
if [[ -f "$stamp" ]] && [[ -z "$(find index.html src public package-lock.json vite.config.js -newer "$stamp" -print -quit)" ]]; then
  exit 0
fi
pinned="$(node -p 'require("./package-lock.json").packages["node_modules/vite"].version')"
installed="$(node -p 'try { require("./node_modules/vite/package.json").version } catch { "" }')"
if [[ "$installed" != "$pinned" ]]; then
  # npm ci from the lockfile; npm 11 here writes lockfiles without the other platforms'
  # optional rollup binaries, which npm ci then refuses ("Missing: @rollup/rollup-… from
  # lock file"). Then install exactly the locked versions without touching the lockfile.
  echo "portal: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || {
    echo "portal: npm ci refused the lockfile; npm install --no-save of the locked versions" >&2
    npm install --no-save --no-audit --no-fund --loglevel=error
  }
fi
echo "portal: vite build" >&2
npx --no-install vite build --logLevel warn
