#!/usr/bin/env bash
# make demo: the whole stack on loopback, no AWS account.
#
#   cognito-local   Cognito user-pool API (pinned, deploy/e2e/package-lock.json); calls poolside as Lambda
#   srp-front       in front of cognito-local for the portal: answers USER_SRP_AUTH as Cognito does
#                   (cognito-local has no SRP), forwards everything else (deploy/demo/srp-front.mjs)
#   poolside serve  the triggers (Invoke API), the User API (/api) and the portal (/portal/), memory profile store
#
# Prints the portal's URL. Emails Cognito would send (sign-up confirmation link,
# reset code) are printed by cognito-local, here on the terminal and in
# $work/cognito-local.log. Ctrl-C stops everything (by PID).
# DEMO_ENV_FILE=path: also write the stack's addresses there (the browser test reads it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
e2e="$root/deploy/e2e"
cd "$root"

for tool in node npm go aws curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "demo: $tool not found" >&2; exit 1; }
done

pinned="$(node -p 'require(process.argv[1]).packages["node_modules/cognito-local"].version' "$e2e/package-lock.json")"
installed="$(node -p 'try { require(process.argv[1]).version } catch { "" }' "$e2e/node_modules/cognito-local/package.json")"
if [[ "$installed" != "$pinned" ]]; then
  echo "demo: npm ci (cognito-local $pinned)" >&2
  (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi
bash "$root/portal/build.sh"

work="$(mktemp -d -t poolside-demo.XXXXXX)"
pids=()
cleanup() {
  rc=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n "${DEMO_KEEP:-}" ]]; then echo "demo: kept $work" >&2; else rm -rf "$work"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 0' INT TERM

servers_tag=demo
servers_logs="$work/*.log"
source "$root/.ci/servers.sh"

echo "demo: building poolside" >&2
go build -o "$work/poolside" ./cmd/poolside

cognito_port="$(free_port)"
poolside_port="$(free_port)"
cognito="http://127.0.0.1:$cognito_port"
app="http://127.0.0.1:$poolside_port"
triggers=(PreSignUp CustomMessage PostConfirmation PostAuthentication PreTokenGeneration UserMigration)

mkdir -p "$work/cognito/.cognito"
node - "$work/cognito/.cognito/config.json" "$poolside_port" "${triggers[@]}" <<'JS'
const [file, port, ...triggers] = process.argv.slice(2);
const config = {
  LambdaClient: { endpoint: `http://127.0.0.1:${port}`, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } },
  TriggerFunctions: Object.fromEntries(triggers.map((t) => [t, `poolside-${t}`])),
  UserPoolDefaults: { UsernameAttributes: ["email"] },
};
require("fs").writeFileSync(file, JSON.stringify(config, null, 2));
JS
(cd "$work/cognito" && PORT="$cognito_port" HOST=127.0.0.1 exec node "$e2e/node_modules/cognito-local/lib/bin/start.js") \
  > >(tee "$work/cognito-local.log") 2>&1 &
pids+=($!)
wait_http cognito-local "${pids[-1]}" "$cognito/health"

# The portal talks to cognito-local through the SRP front, so the browser signs
# in with SRP as in AWS (and falls back to USER_PASSWORD_AUTH for legacy users).
front_port="$(free_port)"
front="http://127.0.0.1:$front_port"
node "$here/srp-front.mjs" --port "$front_port" --upstream "$cognito" --data "$work/cognito/.cognito/db" \
  >"$work/srp-front.log" 2>&1 &
pids+=($!)
wait_http srp-front "${pids[-1]}" "$front/health"

export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
unset AWS_PROFILE AWS_SESSION_TOKEN
idp() { aws --endpoint-url "$cognito" cognito-idp "$@" --output text; }
pool="$(idp create-user-pool --pool-name poolside-demo --username-attributes email \
  --auto-verified-attributes email --username-configuration CaseSensitive=false \
  --policies 'PasswordPolicy={MinimumLength=8,RequireUppercase=true,RequireLowercase=true,RequireNumbers=true,RequireSymbols=false}' \
  --query UserPool.Id)"
client="$(idp create-user-pool-client --user-pool-id "$pool" --client-name portal \
  --explicit-auth-flows ALLOW_USER_SRP_AUTH ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH --query UserPoolClient.ClientId)"
for g in USER ADMIN; do idp create-group --user-pool-id "$pool" --group-name "$g" >/dev/null; done

# The portal's configuration: SRP through the front, with the migration
# fallback to USER_PASSWORD_AUTH (portal/src/signin.js), as in AWS.
cat >"$work/portal-config.json" <<JSON
{
  "region": "us-east-1",
  "userPoolId": "$pool",
  "userPoolClientId": "$client",
  "userPoolEndpoint": "$front",
  "apiUrl": "/api",
  "migration": true,
  "authFlow": "USER_SRP_AUTH",
  "passwordPolicy": {"minLength": 8, "requireUppercase": true, "requireLowercase": true, "requireNumbers": true, "requireSymbols": false}
}
JSON

export POOLSIDE_PROFILE_STORE=memory
export POOLSIDE_COGNITO_ENDPOINT="$cognito"
export POOLSIDE_JWT_ISSUER="$cognito/$pool"
export POOLSIDE_JWT_CLIENT_IDS="$client"
export POOLSIDE_APP_URL="$app/portal/"
export POOLSIDE_EMAIL_SENDING=DEVELOPER
export POOLSIDE_TENANT_DOMAINS="${POOLSIDE_TENANT_DOMAINS:-acme.example=acme}"
export POOLSIDE_LEGACY_SOURCE="file://$root/fixtures/legacy-users.jsonl"
export POOLSIDE_MIGRATION_EMAIL_IS_USERNAME=true
pins=()
for t in "${triggers[@]}"; do pins+=(--pin "poolside-$t=$t"); done
"$work/poolside" serve --addr "127.0.0.1:$poolside_port" --portal-config "$work/portal-config.json" "${pins[@]}" \
  >"$work/poolside.log" 2>&1 &
pids+=($!)
wait_http "poolside serve" "${pids[-1]}" "$app/portal/"

if [[ -n "${DEMO_ENV_FILE:-}" ]]; then
  cat >"$DEMO_ENV_FILE.tmp" <<ENV
PORTAL_URL=$app/portal/
COGNITO_ENDPOINT=$cognito
COGNITO_LOG=$work/cognito-local.log
SRP_FRONT=$front
SRP_FRONT_LOG=$work/srp-front.log
POOLSIDE_LOG=$work/poolside.log
POOL_ID=$pool
CLIENT_ID=$client
ENV
  mv "$DEMO_ENV_FILE.tmp" "$DEMO_ENV_FILE"
fi

cat >&2 <<MSG

  poolside demo is up
    portal       $app/portal/
    User API     $app/api/me   (Bearer: an ID or access token of pool $pool)
    cognito-local $cognito      (pool $pool, app client $client)
    SRP front    $front      (the portal's Cognito endpoint: USER_SRP_AUTH, the rest to cognito-local)
    emails       printed below by cognito-local (also $work/cognito-local.log)
    legacy user  marta.silva@legacy.example.com / Correct-Horse-7 (migrates on first sign-in)
  Ctrl-C stops everything.

MSG
wait "${pids[-1]}"
