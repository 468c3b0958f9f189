#!/usr/bin/env bash
# make portal-e2e: portal/e2e/browser.mjs in headless Debian chromium against
# make demo's stack (deploy/demo/run.sh). Installs chromium (apt) and the
# portal's pinned npm packages when absent; never downloads a browser.
# SCREENSHOTS_DIR (default portal/screenshots) receives a PNG per page.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

if ! command -v chromium >/dev/null 2>&1; then
  echo "portal-e2e: installing Debian's chromium" >&2
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null
fi
bash "$here/build.sh" # npm ci (playwright-core, vite) and the build the demo embeds

work="$(mktemp -d -t poolside-portal-e2e.XXXXXX)"
demo_pid=""
cleanup() {
  rc=$?
  if [[ -n "$demo_pid" ]]; then kill "$demo_pid" 2>/dev/null || true; wait "$demo_pid" 2>/dev/null || true; fi
  if [[ $rc -ne 0 ]]; then echo "---- last lines of the demo" >&2; tail -n 40 "$work/demo.log" >&2 || true; fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT

DEMO_ENV_FILE="$work/demo.env" bash "$root/deploy/demo/run.sh" >"$work/demo.log" 2>&1 &
demo_pid=$!
for _ in $(seq 1 600); do
  [[ -f "$work/demo.env" ]] && break
  kill -0 "$demo_pid" 2>/dev/null || { echo "portal-e2e: the demo exited" >&2; exit 1; }
  sleep 0.2
done
[[ -f "$work/demo.env" ]] || { echo "portal-e2e: the demo did not come up within 120 s" >&2; exit 1; }
set -a; source "$work/demo.env"; set +a
export SCREENSHOTS_DIR="${SCREENSHOTS_DIR:-$here/screenshots}"
cd "$here" && node e2e/browser.mjs
