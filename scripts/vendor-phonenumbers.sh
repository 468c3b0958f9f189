#!/usr/bin/env bash
# scripts/vendor-phonenumbers.sh VERSION — recreate third_party/phonenumbers
# (github.com/nyaruka/phonenumbers, wired by go.mod's replace) from the module
# cache: upstream's non-test .go files, go.mod, go.sum, LICENSE and data/,
# less the geocoding, carrier and timezone features (their files and data,
# $drop below), then poolside's lazy-init.patch (third_party/phonenumbers/
# POOLSIDE.md says why). Exits non-zero if the patch does not apply cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: scripts/vendor-phonenumbers.sh VERSION (e.g. v1.8.1)}
mod=github.com/nyaruka/phonenumbers
dst=third_party/phonenumbers
# Not vendored: poolside never calls them, geocoding.go imports
# golang.org/x/text/language/display (its init ran at every cold start) and
# their embedded data was ~1 MB of the binary. lazy-init.patch drops their
# //go:embed variables from metadata.go.
drop=(geocoding.go carrier.go timezone.go prefixmapper.go
	data/prefix_to_carriers data/prefix_to_geocodings data/prefix_to_timezone.xml.gz)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Outside any module, so go.mod's replace neither redirects the download nor
# is go.sum touched: the pristine upstream copy in the module cache.
src=$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$mod@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -n "$src" && -d "$src" ]] || { echo "vendor-phonenumbers: $mod@$version not in the module cache" >&2; exit 1; }

# Our own files survive the copy.
mkdir "$tmp/keep"
for f in POOLSIDE.md lazy-init.patch; do
	[[ -f "$dst/$f" ]] && cp "$dst/$f" "$tmp/keep/"
done
[[ -f "$tmp/keep/lazy-init.patch" ]] || { echo "vendor-phonenumbers: $dst/lazy-init.patch missing" >&2; exit 1; }

rm -rf "$dst"
mkdir -p "$dst"
cp "$src/LICENSE" "$src/go.mod" "$src/go.sum" "$dst/"
for f in "$src"/*.go; do
	[[ "$f" == *_test.go ]] || cp "$f" "$dst/"
done
cp -R "$src/data" "$dst/"
chmod -R u+w "$dst"
for f in "${drop[@]}"; do
	[[ -e "$dst/$f" ]] || { echo "vendor-phonenumbers: $f not in $mod@$version (update drop in $0)" >&2; exit 1; }
	rm -r "${dst:?}/$f"
done

patch --forward --no-backup-if-mismatch -s -p1 -d "$dst" < "$tmp/keep/lazy-init.patch"
cp "$tmp/keep/"* "$dst/"
echo "vendored $mod $version into $dst with lazy-init.patch"
