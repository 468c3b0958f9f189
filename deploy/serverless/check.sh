#!/usr/bin/env bash
# Packages serverless.yml with the pinned Serverless Framework v3 (no AWS account: `sls
# package` makes no AWS call; dummy credentials, telemetry and notifications off) into
# .serverless/ (default params) and .serverless-full/ (every option on), for cfn-lint and
# .ci/deploy-equivalence.py (make deploy-check). node_modules is installed once and kept
# here (gitignored). The code: each function's own dist/<artifact>-arm64.zip
# (deploy/functions.txt) when `make build` has written them all, otherwise placeholder zips
# of the same names (build/), so that checking the template needs no Go build.
set -euo pipefail
cd "$(dirname "$0")"
bash ../../.ci/npm-locked.sh . serverless
dist=../../dist
artifacts=$(awk '/^[A-Z]/ {print $2}' ../functions.txt)
for a in $artifacts; do
  if [[ ! -f "$dist/$a-arm64.zip" ]]; then
    echo "serverless: no dist/$a-arm64.zip (make build); packaging placeholders build/<artifact>-arm64.zip" >&2
    dist=build
    mkdir -p build
    for b in $artifacts; do
      python3 -c "import zipfile; z=zipfile.ZipFile('build/$b-arm64.zip','w'); i=zipfile.ZipInfo('bootstrap',(1980,1,1,0,0,0)); i.external_attr=0o755<<16; z.writestr(i,'#!/bin/sh\n# placeholder for $b\nexit 1\n'); z.close()"
    done
    break
  fi
done
export SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off SLS_DEPRECATION_DISABLE='*'
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-placeholder}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-placeholder}"
rm -rf .serverless .serverless-full
# Every option on, with the values of FULL_SAM_PARAMETERS in .ci/deploy-equivalence.py.
full=(
  tenantDomains=example.com=acme
  sesSourceArn=arn:aws:ses:us-east-1:123456789012:identity/example.com
  preAuthFailClosed=true
  migrationEnabled=true legacySource=dynamodb://legacy-users bcryptCost=13 breachedPasswordCheck=hibp
  legacyTableArn=arn:aws:dynamodb:us-east-1:123456789012:table/legacy-users
  legacyPoolArn=arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_legacy
  customSenders=true "senderFrom=Example <no-reply@example.com>" sesConfigurationSet=poolside
  portalOrigin=https://portal.example.com authDomainPrefix=poolside-example
  apiKeysSecretArn=arn:aws:secretsmanager:us-east-1:123456789012:secret:poolside-api-keys
  alarmTopicArn=arn:aws:sns:us-east-1:123456789012:poolside-alarms slowInvocationMs=3500 logRetentionInDays=90
)
npx --no-install sls package --package .serverless-full --param="dist=$dist" "${full[@]/#/--param=}" "$@" </dev/null >/dev/null
echo "serverless: .serverless-full/cloudformation-template-update-stack.json (every option on)" >&2
# Second: packaging starts by emptying .serverless/, whatever --package names.
npx --no-install sls package --param="dist=$dist" "$@" </dev/null >/dev/null
echo "serverless: .serverless/cloudformation-template-update-stack.json" >&2
