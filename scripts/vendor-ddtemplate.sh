#!/usr/bin/env bash
# scripts/vendor-ddtemplate.sh VERSION — recreate third_party/ddtemplate
# (github.com/DataDog/datadog-agent/pkg/template, wired by go.mod's replace)
# from the module cache: its text/, html/ and internal/ packages, go.mod and
# LICENSE (not its Bazel files, patches and generator), then poolside's
# no-stdlib-html.patch, escaper-funcs-once.patch and
# script-tag-regexp-lazy.patch, in that order
# (third_party/ddtemplate/POOLSIDE.md says why). Exits non-zero if a patch
# does not apply cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: scripts/vendor-ddtemplate.sh VERSION (e.g. v0.85.2)}
mod=github.com/DataDog/datadog-agent/pkg/template
dst=third_party/ddtemplate

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Outside any module, so go.mod's replace neither redirects the download nor
# is go.sum touched: the pristine upstream copy in the module cache.
src=$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$mod@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -n "$src" && -d "$src" ]] || { echo "vendor-ddtemplate: $mod@$version not in the module cache" >&2; exit 1; }

# Our own files survive the copy.
mkdir "$tmp/keep"
patches="no-stdlib-html.patch escaper-funcs-once.patch script-tag-regexp-lazy.patch"
for f in POOLSIDE.md $patches; do
	[[ -f "$dst/$f" ]] && cp "$dst/$f" "$tmp/keep/"
done
for p in $patches; do
	[[ -f "$tmp/keep/$p" ]] || { echo "vendor-ddtemplate: $dst/$p missing" >&2; exit 1; }
done

rm -rf "$dst"
mkdir -p "$dst"
cp "$src/LICENSE" "$src/go.mod" "$dst/"
cp -R "$src/text" "$src/html" "$src/internal" "$dst/"
chmod -R u+w "$dst"
find "$dst" -name BUILD.bazel -delete

for p in $patches; do
	patch --forward --no-backup-if-mismatch -s -p1 -d "$dst" < "$tmp/keep/$p"
done
cp "$tmp/keep/"* "$dst/"
echo "vendored $mod $version into $dst with $patches"
