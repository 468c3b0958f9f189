#!/usr/bin/env bash
# make timing-check: the explicitly timing-sensitive check CI does not gate on.
# UserMigration must take as long for an unknown user as for a wrong password
# (no user enumeration by timing). Runs the benchmark alone (-p 1), RUNS times,
# and fails when the median unknown/wrong ratio leaves [0.9, 1.1].
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-7}"
out=$(${GO:-go} test -p 1 -run '^$' -bench '^BenchmarkUserMigrationTiming$' -count "$runs" ./triggers)
echo "$out"
ratios=$(echo "$out" | awk '/^BenchmarkUserMigrationTiming/ { for (i = 2; i < NF; i++) if ($(i+1) == "unknown/wrong") print $i }' | sort -g)
n=$(echo "$ratios" | grep -c . || true)
if [[ "$n" -eq 0 ]]; then echo "timing-check: no unknown/wrong figure in the output" >&2; exit 1; fi
echo "$ratios" | awk -v n="$n" '
  { r[NR] = $1 }
  END {
    m = (n % 2) ? r[(n+1)/2] : (r[n/2] + r[n/2+1]) / 2
    printf "timing-check: median unknown/wrong %.3f over %d runs (min %.3f, max %.3f)\n", m, n, r[1], r[n]
    if (m < 0.9 || m > 1.1) { print "timing-check: outside [0.9, 1.1]"; exit 1 }
  }'
