#!/usr/bin/env bash
# Usage: npm-locked.sh DIR PACKAGE — makes DIR/node_modules hold DIR/package-lock.json's
# versions (checked by PACKAGE's version; nothing to do when it matches, so the folder is
# the cache). npm ci first; npm 11 here writes lockfiles without the other platforms'
# optional binaries (rollup's, esbuild's), which npm ci then refuses ("Missing: … from
# lock file"): then install exactly the locked versions without touching the lockfile.
set -euo pipefail
dir="$1" pkg="$2"
cd "$dir"
dir="$(basename "$PWD")"
command -v npm >/dev/null 2>&1 || { echo "$dir: npm not found (Debian package npm)" >&2; exit 1; }
pinned="$(node -p "require('./package-lock.json').packages['node_modules/$pkg'].version")"
installed="$(node -p "try { require('./node_modules/$pkg/package.json').version } catch { '' }")"
[[ "$installed" == "$pinned" ]] && exit 0
echo "$dir: npm ci ($pkg $pinned)" >&2
npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || {
  echo "$dir: npm ci refused the lockfile; npm install --no-save of the locked versions" >&2
  npm install --no-save --no-audit --no-fund --loglevel=error
}
