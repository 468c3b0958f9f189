#!/usr/bin/env bash
# End-to-end harness (make e2e): the real binary behind a Cognito emulator.
#
#   moto_server     DynamoDB API (the profile table)             127.0.0.1:free
#   poolside serve  Lambda Invoke API, one pinned name per trigger 127.0.0.1:free
#   cognito-local   Cognito user-pool API, calls poolside as Lambda 127.0.0.1:free
#
# Then runs the Go test (build tag e2e) in this directory against them.
# Everything listens on loopback, on free ports, in a temporary directory, and
# is stopped by PID when the script ends (trap). Set E2E_KEEP=1 to keep the
# directory and its logs. Extra arguments go to `go test` (e.g. -run Legacy -v).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# The triggers cognito-local is told to call (its config's TriggerFunctions).
# Each gets its own function name, pinned to that trigger in poolside serve,
# as each trigger is its own function in deploy/template.yaml.
triggers=(PreSignUp CustomMessage PostConfirmation PostAuthentication PreTokenGeneration UserMigration)

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "e2e: $1 not found ($2)" >&2
  exit 1
}
need node "Debian package nodejs"
need npm "Debian package npm"
need python3 "moto_server runs under python3"
python3 -c 'import moto.server' 2>/dev/null || { echo "e2e: python module moto[server] not found (pip install 'moto[server]')" >&2; exit 1; }

# Pinned cognito-local from the lockfile; npm ci only when node_modules is not that version.
pinned="$(node -p 'require(process.argv[1]).packages["node_modules/cognito-local"].version' "$here/package-lock.json")"
installed="$(node -p 'try { require(process.argv[1]).version } catch { "" }' "$here/node_modules/cognito-local/package.json")"
if [[ "$installed" != "$pinned" ]]; then
  echo "e2e: npm ci (cognito-local $pinned)" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

work="$(mktemp -d -t poolside-e2e.XXXXXX)"
pids=()
cleanup() {
  rc=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $rc -ne 0 ]]; then
    for f in "$work"/*.log; do
      [[ -f "$f" ]] || continue
      echo "---- last lines of $(basename "$f")" >&2
      tail -n 40 "$f" >&2
    done
  fi
  if [[ -n "${E2E_KEEP:-}" ]]; then echo "e2e: kept $work" >&2; else rm -rf "$work"; fi
  exit $rc
}
trap cleanup EXIT

servers_tag=e2e
source "$root/.ci/servers.sh"

echo "e2e: building poolside" >&2
go build -o "$work/poolside" ./cmd/poolside

moto_port="$(free_port)"
python3 "$root/.ci/moto-serial.py" 127.0.0.1 "$moto_port" >"$work/moto.log" 2>&1 &
pids+=($!)
wait_http moto_server "${pids[-1]}" "http://127.0.0.1:$moto_port/moto-api/"

export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN
table=poolside-e2e-profiles
cognito_port="$(free_port)"
poolside_port="$(free_port)"
export POOLSIDE_PROFILE_STORE="dynamodb://$table"
export POOLSIDE_DYNAMODB_ENDPOINT="http://127.0.0.1:$moto_port"
# The group calls (AdminAddUserToGroup) go to the pool that sent the event:
# cognito-local. moto's cognito-idp cannot answer them, as it has neither that
# pool nor its users.
export POOLSIDE_COGNITO_ENDPOINT="http://127.0.0.1:$cognito_port"
export POOLSIDE_TENANT_DOMAINS="acme.example=acme"
export POOLSIDE_DEFAULT_TENANT=default
export POOLSIDE_LEGACY_SOURCE="file://$root/fixtures/legacy-users.jsonl"
export POOLSIDE_APP_URL="https://app.poolside.example/confirm"
# cognito-local prints whatever email the trigger returns (as a pool with its
# own SES identity would send it).
export POOLSIDE_EMAIL_SENDING=DEVELOPER
# The pool's sign-in shape, as cognito-local's UserPoolDefaults and the suite's pools have it.
export POOLSIDE_USERNAME_ATTRIBUTES=email
# Federated linking is on, so that a federated-style sign-up without a verified
# email can be shown not to link (cognito-local has no federation: the suite
# posts that PreSignUp_ExternalProvider event to poolside itself).
export POOLSIDE_SIGNUP_LINK_PROVIDERS=Google

"$work/poolside" table create >"$work/table.json"

pins=()
for t in "${triggers[@]}"; do pins+=(--pin "poolside-$t=$t"); done
"$work/poolside" serve --addr "127.0.0.1:$poolside_port" "${pins[@]}" >"$work/poolside.log" 2>&1 &
pids+=($!)
wait_http "poolside serve" "${pids[-1]}" "http://127.0.0.1:$poolside_port/"

mkdir -p "$work/cognito/.cognito"
node - "$work/cognito/.cognito/config.json" "$poolside_port" "${triggers[@]}" <<'EOF'
const [file, port, ...triggers] = process.argv.slice(2);
const fns = Object.fromEntries(triggers.map((t) => [t, `poolside-${t}`]));
const config = {
  LambdaClient: {
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  },
  TriggerFunctions: fns,
  UserPoolDefaults: { UsernameAttributes: ["email"] },
};
require("fs").writeFileSync(file, JSON.stringify(config, null, 2));
EOF
(cd "$work/cognito" && PORT="$cognito_port" HOST=127.0.0.1 exec node "$here/node_modules/cognito-local/lib/bin/start.js") \
  >"$work/cognito-local.log" 2>&1 &
pids+=($!)
wait_http cognito-local "${pids[-1]}" "http://127.0.0.1:$cognito_port/health"

# Another pool to migrate from (cognito-idp:// legacy source): a second
# cognito-local (no email-as-username default) holds the old pool and the new
# one; the new pool's UserMigration is a second poolside whose legacy source
# is the old pool.
poolside2_port="$(free_port)"
cognito2_port="$(free_port)"
mkdir -p "$work/cognito2/.cognito"
node - "$work/cognito2/.cognito/config.json" "$poolside2_port" UserMigration <<'EOF2'
const [file, port, ...triggers] = process.argv.slice(2);
const config = {
  LambdaClient: { endpoint: `http://127.0.0.1:${port}`, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } },
  TriggerFunctions: Object.fromEntries(triggers.map((t) => [t, `poolside-${t}`])),
  // cognito-local defaults to email as username; null (not []) overrides it
  // in its lodash merge: plain usernames, as legacy pools often have
  UserPoolDefaults: { UsernameAttributes: null },
};
require("fs").writeFileSync(file, JSON.stringify(config, null, 2));
EOF2
(cd "$work/cognito2" && PORT="$cognito2_port" HOST=127.0.0.1 exec node "$here/node_modules/cognito-local/lib/bin/start.js") \
  >"$work/cognito-local-pools.log" 2>&1 &
pids+=($!)
wait_http "cognito-local (old and new pool)" "${pids[-1]}" "http://127.0.0.1:$cognito2_port/health"
cog="aws --endpoint-url http://127.0.0.1:$cognito2_port --region us-east-1 --output text cognito-idp"
old_pool="$($cog create-user-pool --pool-name poolside-e2e-old --query UserPool.Id)"
old_client="$($cog create-user-pool-client --user-pool-id "$old_pool" --client-name old \
  --explicit-auth-flows ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH --query UserPoolClient.ClientId)"
POOLSIDE_LEGACY_SOURCE="cognito-idp://us-east-1/$old_pool?client_id=$old_client" \
POOLSIDE_LEGACY_COGNITO_ENDPOINT="http://127.0.0.1:$cognito2_port" \
POOLSIDE_COGNITO_ENDPOINT="http://127.0.0.1:$cognito2_port" \
  "$work/poolside" serve --addr "127.0.0.1:$poolside2_port" --pin poolside-UserMigration=UserMigration >"$work/poolside-from-pool.log" 2>&1 &
pids+=($!)
wait_http "poolside serve (from pool)" "${pids[-1]}" "http://127.0.0.1:$poolside2_port/"

echo "e2e: moto :$moto_port  poolside :$poolside_port  cognito-local :$cognito_port  ($work)" >&2
E2E_COGNITO_ENDPOINT="http://127.0.0.1:$cognito_port" \
E2E_POOLS_ENDPOINT="http://127.0.0.1:$cognito2_port" E2E_OLD_POOL="$old_pool" E2E_OLD_CLIENT="$old_client" \
E2E_COGNITO_DB="$work/cognito/.cognito/db" \
E2E_COGNITO_LOG="$work/cognito-local.log" \
E2E_POOLSIDE_LOG="$work/poolside.log" \
E2E_POOLSIDE_ENDPOINT="http://127.0.0.1:$poolside_port" \
E2E_PROFILE_TABLE="$table" \
  go test -tags e2e -count=1 "$@" ./deploy/e2e/
