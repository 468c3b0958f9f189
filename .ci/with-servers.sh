#!/usr/bin/env bash
# Runs a command with a DynamoDB- and Cognito-API server on loopback.
# POOLSIDE_DYNAMODB_ENDPOINT set: use that server as it is.
# Otherwise start moto_server on a free 127.0.0.1 port, export its URL as
# POOLSIDE_DYNAMODB_ENDPOINT and POOLSIDE_COGNITO_ENDPOINT, and stop it (by
# PID) when the command ends. Under CI=true a missing server is a failure.
set -euo pipefail
source "$(dirname "$0")/ensure-postgres.sh"  # PostgreSQL for the migration tests (POOLSIDE_TEST_POSTGRES_URL)
source "$(dirname "$0")/ensure-mariadb.sh"   # MariaDB for the MySQL source tests (POOLSIDE_TEST_MYSQL_URL)
source "$(dirname "$0")/ensure-qemu.sh"      # qemu-aarch64 for internal/sdkoverlay's arm64 test
if [[ -n "${POOLSIDE_DYNAMODB_ENDPOINT:-}" ]]; then
  exec "$@"
fi
if ! command -v moto_server >/dev/null 2>&1; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "with-servers: moto_server not found and POOLSIDE_DYNAMODB_ENDPOINT unset (CI=true: failing)" >&2
    exit 1
  fi
  echo "with-servers: no moto_server; DynamoDB integration tests will skip" >&2
  exec "$@"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
log=$(mktemp -t moto.XXXXXX.log)
python3 "$(dirname "$0")/moto-serial.py" 127.0.0.1 "$port" >"$log" 2>&1 &
moto_pid=$!
cleanup() { kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; rm -f "$log"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/"; then break; fi
  if ! kill -0 "$moto_pid" 2>/dev/null; then cat "$log" >&2; echo "with-servers: moto_server exited" >&2; exit 1; fi
  sleep 0.1
done
export POOLSIDE_DYNAMODB_ENDPOINT="http://127.0.0.1:$port"
export POOLSIDE_COGNITO_ENDPOINT="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-testing}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-testing}" AWS_REGION="${AWS_REGION:-us-east-1}"
echo "with-servers: moto_server pid $moto_pid on $POOLSIDE_DYNAMODB_ENDPOINT" >&2
set +e
"$@"
rc=$?
exit $rc
