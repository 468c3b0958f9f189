# poolside — make help lists the targets.
SHELL := /bin/bash
GO ?= go
STATICCHECK_VERSION := v0.8.2
# Every Lambda artifact: the Runtime API without net/rpc, AWS configuration from
# the environment Lambda sets (poolside.lambda), stripped and path-free.
BUILD_TAGS := lambda.norpc,poolside.lambda
BUILD_LDFLAGS := -trimpath -ldflags "-s -w"
# The artifacts build against dist/sdk/go.mod: go.mod plus a replace for each
# module internal/sdkoverlay rewrites in a copy: each linked AWS SDK service's
# v1 endpoint table (which neither the SDK nor poolside calls) built on first
# use instead of at every cold start; the Encryption SDK's P-384 check without
# the generator table, its Dafny constants computed once, and its default
# client supplier without the SDK's default credential chain; and, on first use
# instead of at init, smithy-go's event-stream CRC table, the SDK's per-service
# read timeouts and x/text's variant index and language matcher tables.
SDK_DIR := dist/sdk
SDK_MODFILE := $(SDK_DIR)/go.mod
ADDR ?= 127.0.0.1:9001

.PHONY: help run demo portal portal-e2e test test-unit build lint fuzz bench bench-coldstart stress-test timing-check golden tidy-check preview e2e deploy-check clean

help: ## list the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  %-12s %s\n", $$1, $$2}'

run: ## serve the Lambda Invoke API on the embedded default (memory store, fixture legacy users)
	@echo "poolside listening on http://$(ADDR) — try:"
	@echo "  curl -s -X POST http://$(ADDR)/2015-03-31/functions/poolside/invocations --data-binary @fixtures/events/PreSignUp_SignUp.json"
	@echo "  aws lambda invoke --endpoint-url http://$(ADDR) --function-name poolside --payload fileb://fixtures/events/PreSignUp_SignUp.json out.json"
	$(GO) run ./cmd/poolside serve --addr $(ADDR)

test: ## vet + race tests, integration suites included (starts moto_server on loopback when needed)
	$(GO) vet ./...
	bash .ci/with-servers.sh $(GO) test -race -count=1 -timeout 30m ./...
	$(GO) test -count=1 -tags poolside.lambda -run TestLoadAWS ./cmd/poolside
	$(GO) test -count=1 -tags poolside.fn,poolside.fn.preauthentication -run NoHTML ./messages
	cd third_party/phonenumbers && $(GO) test -race -count=1 .
	bash scripts/check-ddtemplate.sh

# One artifact per Lambda function (deploy/functions.txt): ./cmd/poolside built
# with poolside.fn,poolside.fn.<artifact>, so each links only what its trigger
# calls.
FUNCTIONS := $(shell awk '/^[A-Z]/ {print $$2}' deploy/functions.txt)

build: $(foreach f,$(FUNCTIONS),dist/$(f)-arm64.zip dist/$(f)-amd64.zip) ## Lambda zips: one per function of deploy/functions.txt (bootstrap for provided.al2023)

$(SDK_MODFILE): go.mod go.sum $(filter-out %_test.go,$(wildcard internal/sdkoverlay/*.go internal/sdkoverlay/*.txt scripts/sdkoverlay/*.go))
	$(GO) run ./scripts/sdkoverlay -out $(SDK_DIR)

# Tests, testdata and the benchmark are never linked into an artifact, so
# changing them rebuilds nothing.
dist/%.zip: $(shell find . -name node_modules -prune -o -name '*.go' -not -name '*_test.go' -not -path './dist/*' -not -path './bench/*' -not -path '*/testdata/*' -print) go.mod go.sum deploy/functions.txt $(SDK_MODFILE)
	@stem=$*; fn=$${stem%-*}; arch=$${stem##*-}; tags=$(BUILD_TAGS),poolside.fn,poolside.fn.$$fn; \
	case " $(FUNCTIONS) " in *" $$fn "*) ;; *) echo "make: $$fn is no artifact of deploy/functions.txt" >&2; exit 1;; esac; \
	mkdir -p dist/$$stem && echo "build dist/$$stem/bootstrap -tags $$tags" && \
	CGO_ENABLED=0 GOOS=linux GOARCH=$$arch $(GO) build -modfile $(SDK_MODFILE) -tags $$tags $(BUILD_LDFLAGS) -o dist/$$stem/bootstrap ./cmd/poolside && \
	cd dist/$$stem && rm -f ../$$stem.zip && python3 -c "import zipfile,sys; z=zipfile.ZipFile('../$$stem.zip','w',zipfile.ZIP_DEFLATED); i=zipfile.ZipInfo('bootstrap',(1980,1,1,0,0,0)); i.external_attr=0o755<<16; i.compress_type=zipfile.ZIP_DEFLATED; z.writestr(i,open('bootstrap','rb').read()); z.close()"
	@echo "built dist/$*.zip"

lint: ## go vet + staticcheck (pinned)
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

fuzz: ## run each fuzz target for a short while (FUZZTIME=30s)
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-30s} $$pkg; \
	  done; done

bench: ## benchmarks, one package at a time: they report figures (speed targets live here) and never gate
	bash .ci/with-servers.sh $(GO) test -p 1 -run '^$$' -bench . -benchmem ./...

timing-check: ## timing-sensitive: median unknown/wrong UserMigration time ratio in [0.9, 1.1] (RUNS=7; not in CI)
	bash .ci/timing-check.sh

stress-test: ## make test while two CPU-bound processes occupy both cores; prints its time
	bash .ci/stress.sh

bench-coldstart: build ## cold start of every template function vs a bare aws-lambda-go handler, and vs its direct handler making the same AWS calls (RUNS=21, ROUNDS=1; ARGS=-callgrind, -warm 1000, -direct=false)
	$(GO) run ./bench/coldstart -runs $${RUNS:-21} -rounds $${ROUNDS:-1} $(ARGS)

golden: ## regenerate fixtures/golden from the current code
	$(GO) test ./cmd/poolside -run 'TestGolden' -count=1 -update

tidy-check: ## go mod tidy leaves go.mod and go.sum unchanged
	$(GO) mod tidy
	git diff --exit-code go.mod go.sum

preview: ## write every CustomMessage source × locale as .html/.txt into preview/ (honours POOLSIDE_TEMPLATES_DIR, POOLSIDE_APP_URL, POOLSIDE_BRAND_NAME)
	$(GO) run ./cmd/poolside preview --out preview

clean: ## remove build output
	rm -rf dist

CDK_OUT := deploy/cdk/cdk.out
SLS_OUT := deploy/serverless/.serverless/cloudformation-template-update-stack.json
SLS_FULL := deploy/serverless/.serverless-full/cloudformation-template-update-stack.json

deploy-check: ## cfn-lint the SAM template, the CDK example's synth and the Serverless packages (defaults; every option on); hold the latter to the SAM template
	@command -v cfn-lint >/dev/null || { echo "deploy-check: cfn-lint not found (pip install cfn-lint)"; exit 1; }
	cfn-lint deploy/template.yaml
	bash deploy/cdk/synth.sh
	bash deploy/serverless/check.sh
	# W3005: both tools write DependsOn on the role the function's Role already names.
	cfn-lint --ignore-checks W3005 -- $(CDK_OUT)/PoolsideExample.template.json $(CDK_OUT)/PoolsideExampleFull.template.json $(SLS_OUT) $(SLS_FULL)
	python3 .ci/deploy-equivalence.py deploy/template.yaml $(CDK_OUT)/PoolsideExample.template.json $(SLS_OUT)
	python3 .ci/deploy-equivalence.py --full deploy/template.yaml $(CDK_OUT)/PoolsideExampleFull.template.json $(SLS_FULL)

demo: ## the whole stack locally: cognito-local + poolside serve (triggers, User API, portal); prints the portal URL
	bash deploy/demo/run.sh

portal: ## build the portal (npm ci && vite build in portal/) that poolside serve embeds
	bash portal/build.sh

portal-e2e: ## the portal's life in headless Debian chromium (playwright-core) against make demo's stack
	bash portal/e2e.sh

e2e: ## end-to-end: cognito-local (pinned, npm ci) → poolside serve → DynamoDB on moto_server, all on loopback
	bash deploy/e2e/run.sh
