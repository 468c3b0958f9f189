#!/usr/bin/env bash
# Makes qemu-aarch64 available to internal/sdkoverlay's arm64 test (the Lambda
# artifacts are arm64; the test runs their rewritten signature check and the
# Encryption SDK's path as arm64 programs under user-mode emulation). Source it
# (with-servers.sh does) or run it.
#
# qemu-aarch64 on PATH: nothing to do. Otherwise, as root with apt-get, install
# Debian's qemu-user. Failure to provide it is not an error here: the test
# skips locally and fails under CI=true.

_qemu_ensure() {
  command -v qemu-aarch64 >/dev/null 2>&1 && return 0
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    echo "ensure-qemu: no qemu-aarch64 and cannot apt-get install it; the arm64 test will skip (fail under CI=true)" >&2
    return 0
  fi
  echo "ensure-qemu: installing Debian's qemu-user" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user >&2 || return 0
}
_qemu_ensure
unset -f _qemu_ensure
