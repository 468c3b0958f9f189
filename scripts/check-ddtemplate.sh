#!/usr/bin/env bash
# scripts/check-ddtemplate.sh — run the Go toolchain's own text/template and
# html/template tests (from $(go env GOROOT)/src) against third_party/ddtemplate,
# DataDog's copy of those packages with poolside's no-stdlib-html.patch
# (POOLSIDE.md). The copy's one change from the standard library is that a
# template cannot call a method, and it has no GODEBUG opt-out of the
# meta-refresh URL filter: exactly the tests in $expected fail, and this
# script fails if any other test does, if one of them passes (the copy
# changed: review it, then this list), or if the tests do not build.
set -euo pipefail
cd "$(dirname "$0")/.."
expected="TestAddrOfIndex TestExecute TestExecuteError TestExecutePanicDuringCall TestMetaContentEscapeGODEBUG TestPipeToMethodIsEscaped TestRecursiveExecuteViaMethod"
goroot=$(go env GOROOT)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R third_party/ddtemplate "$tmp/m"
cp "$goroot"/src/text/template/*_test.go "$tmp/m/text/"
cp "$goroot"/src/html/template/*_test.go "$tmp/m/html/"
for d in text html; do
	[[ -d "$goroot/src/$d/template/testdata" ]] && cp -R "$goroot/src/$d/template/testdata" "$tmp/m/$d/"
done
# link_test.go builds a program importing the standard text/template itself.
rm -f "$tmp/m/text/link_test.go"
mod=github.com/DataDog/datadog-agent/pkg/template
sed -i "s|^\t\"text/template\"\$|\ttemplate \"$mod/text\"|" "$tmp/m/text/"*_test.go
sed -i "s|^\t\"text/template\"\$|\t\"$mod/text\"|; s|^\t\"html/template\"\$|\t\"$mod/html\"|; s|^\t\. \"html/template\"\$|\t. \"$mod/html\"|" "$tmp/m/html/"*_test.go
out=$(cd "$tmp/m" && GOFLAGS=-mod=mod go test -count=1 ./... 2>&1 || true)
if grep -qE '\[(build|setup) failed\]|^# ' <<<"$out"; then
	echo "$out" >&2
	echo "check-ddtemplate: the standard library's template tests do not build against third_party/ddtemplate" >&2
	exit 1
fi
failed=$(grep -oE '^--- FAIL: [A-Za-z0-9_]+' <<<"$out" | awk '{print $3}' | sort -u | tr '\n' ' ' | sed 's/ $//')
if [[ "$failed" != "$expected" ]]; then
	echo "$out" | grep -E '^(--- FAIL|ok|FAIL)' >&2 || true
	echo "check-ddtemplate: failing tests: [$failed]; expected exactly: [$expected]" >&2
	exit 1
fi
echo "check-ddtemplate: Go $(go env GOVERSION)'s text/template and html/template tests pass on third_party/ddtemplate but for the method calls and the GODEBUG opt-out: $expected"
