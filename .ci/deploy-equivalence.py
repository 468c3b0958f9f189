#!/usr/bin/env python3
"""Holds the CDK synth and the Serverless package to deploy/template.yaml (SAM).

The SAM template is first evaluated for one set of parameters (its defaults, or with
--full FULL_SAM_PARAMETERS: migration with a legacy table and pool, the custom senders,
an own SES identity, a machine client, API keys, an alarm topic, …): Conditions decided,
resources and outputs with a false Condition dropped, Fn::If and AWS::NoValue resolved,
parameters substituted. Every template is then reduced to the same facts, in which a
resource is named by its role (pool, client:web, fn:PreSignUp, alias:PreSignUp, table, …),
not its logical id, and those facts must be equal:

- per function (POOLSIDE_TRIGGERS; the User API's "none" is Api): memory, timeout, X-Ray
  tracing, architecture, runtime, log retention, environment variable names (--full: and
  values), IAM actions (--full: each action with its resources; xray:* left out), and the
  artifact it deploys: the name of SAM's CodeUri (deploy/functions.txt's
  <artifact>-arm64.zip) against the name of the S3 object (Serverless; CDK code from S3)
  or, for a CDK asset, the name of the zip in the CodeUri's directory with the asset's
  bytes — so a function given another function's zip, or the all-trigger one, differs;
- the pool's LambdaConfig: which function's `live` alias each trigger names, the event
  versions, the KMS key; Cognito's invoke permission on each attached alias with SourceArn
  (the pool) and SourceAccount;
- alarms: per function and metric the statistic, period, threshold, comparison, missing
  data and actions;
- the dashboard: its name, each widget's title and metrics (function and metric, or
  SEARCH expression); the DashboardUrl output;
- the User API: routes with their authorization (JWT or NONE), the JWT authorizer
  (identity source, issuer, audience), CORS, the integration (payload 2.0, the Api
  function's live alias) and API Gateway's invoke permission on it;
- the pool (when the tool makes it), the web and machine clients, the resource server,
  the domain, the groups, the profile table, the sender key's policy for Cognito.

Usage: deploy-equivalence.py [--full] SAM_TEMPLATE OTHER_TEMPLATE... (make deploy-check).
"""
import hashlib
import json
import os
import re
import sys

import yaml

# The parameters of the "every option on" check. The CDK example's PoolsideExampleFull stack
# (deploy/cdk/bin/example.ts) and deploy/serverless/check.sh's second package use the same values.
FULL_SAM_PARAMETERS = {
    "TenantDomains": "example.com=acme",
    "SesSourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
    "PreAuthFailClosed": "true",
    "MigrationEnabled": "true",
    "LegacySource": "dynamodb://legacy-users",
    "BcryptCost": "13",
    "BreachedPasswordCheck": "hibp",
    "LegacyTableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/legacy-users",
    "LegacyPoolArn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_legacy",
    "CustomSenders": "true",
    "SenderFrom": "Example <no-reply@example.com>",
    "SesConfigurationSet": "poolside",
    "PortalOrigin": "https://portal.example.com",
    "AuthDomainPrefix": "poolside-example",
    "ApiKeysSecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:poolside-api-keys",
    "AlarmTopicArn": "arn:aws:sns:us-east-1:123456789012:poolside-alarms",
    "SlowInvocationMs": "3500",
    "LogRetentionDays": "90",
}

COGNITO = "cognito-idp.amazonaws.com"
NONE = object()  # AWS::NoValue


class Loader(yaml.SafeLoader):
    pass


def _tag(loader, suffix, node):  # !Ref X -> {"Ref": X}, !GetAtt A.B -> {"Fn::GetAtt": "A.B"}, …
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}": value}


Loader.add_multi_constructor("!", _tag)


def load(path):
    with open(path) as f:
        return json.load(f) if path.endswith(".json") else yaml.load(f, Loader=Loader)


# ---------------------------------------------------------------- evaluation


def evaluate(t, overrides=None):
    """t with its Conditions decided and its parameters substituted (see the module doc)."""
    params = {}
    for name, p in t.get("Parameters", {}).items():
        v = (overrides or {}).get(name, p.get("Default"))
        params[name] = int(v) if p.get("Type") == "Number" else v
    unknown = set(overrides or {}) - set(params)
    if unknown:
        raise SystemExit(f"deploy-equivalence: no such SAM parameters: {sorted(unknown)}")
    conditions, memo = t.get("Conditions", {}), {}

    def cond(name):
        if name not in memo:
            memo[name] = truth(conditions[name])
        return memo[name]

    def truth(e):
        (op, args), = e.items()
        if op == "Fn::Equals":
            return str(resolve(args[0])) == str(resolve(args[1]))
        if op == "Fn::Not":
            return not truth(args[0])
        if op == "Fn::And":
            return all(truth(a) for a in args)
        if op == "Fn::Or":
            return any(truth(a) for a in args)
        if op == "Condition":
            return cond(args)
        raise SystemExit(f"deploy-equivalence: cannot evaluate {op}")

    def sub(s):
        return re.sub(r"\$\{([A-Za-z0-9]+)\}", lambda m: str(params[m[1]]) if m[1] in params else m[0], s)

    def resolve(v):
        if isinstance(v, list):
            return [x for x in (resolve(x) for x in v) if x is not NONE]
        if not isinstance(v, dict):
            return v
        if len(v) == 1:
            (k, a), = v.items()
            if k == "Ref" and a == "AWS::NoValue":
                return NONE
            if k == "Ref" and a in params:
                return params[a]
            if k == "Fn::If":
                return resolve(a[1] if cond(a[0]) else a[2])
            if k == "Fn::FindInMap":
                m, key, field = (resolve(x) for x in a)
                return t["Mappings"][m][str(key)][field]
            if k == "Fn::Sub" and isinstance(a, str):
                s = sub(a)
                return {"Fn::Sub": s} if "${" in s else s  # still a Sub while it names resources
            if k == "Fn::Join":
                parts = resolve(a[1])
                if all(isinstance(x, (str, int)) for x in parts):
                    return a[0].join(str(x) for x in parts)
        out = {}
        for k, x in v.items():
            r = resolve(x)
            if r is not NONE:
                out[k] = r
        return out

    t = dict(t)
    for section in ("Resources", "Outputs", "Globals"):
        items = {}
        for name, item in t.get(section, {}).items():
            if isinstance(item, dict) and "Condition" in item and not cond(item["Condition"]):
                continue
            item = resolve(item)
            if isinstance(item, dict):
                item.pop("Condition", None)
            items[name] = item
        t[section] = items
    return t


# ---------------------------------------------------------------- roles and rendering


def ref(v):
    if isinstance(v, dict):
        if "Ref" in v:
            return v["Ref"]
        if "Fn::GetAtt" in v:
            g = v["Fn::GetAtt"]
            return (g if isinstance(g, list) else g.split("."))[0]
    return None


class Template:
    """A template's resources, each logical id mapped to its role."""

    def __init__(self, t, path):
        self.t, self.path, self.res, self.errors = t, path, t["Resources"], []
        self.code_dir = None  # the directory of the SAM template's CodeUri zips
        self.sam = "Transform" in t
        self.role, self.fns = {}, {}  # logical id -> role; function name (trigger or Api) -> logical id
        for n, r in self.res.items():
            typ, p = r["Type"], r.get("Properties", {})
            if typ in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
                env = dict(self.globals_env(), **p.get("Environment", {}).get("Variables", {}))
                trig = env.get("POOLSIDE_TRIGGERS")
                if trig is None:
                    continue  # a tool's own helper function
                trig = "Api" if trig == "none" else trig
                self.fns[trig], self.role[n] = n, f"fn:{trig}"
                if self.sam:
                    self.role[f"{n}.Alias"], self.role[f"{n}Role"] = f"alias:{trig}", f"role:{trig}"
            elif typ == "AWS::Cognito::UserPool":
                self.role[n] = "pool"
            elif typ == "AWS::Cognito::UserPoolClient":
                self.role[n] = f"client:{p.get('ClientName')}"
            elif typ == "AWS::DynamoDB::Table":
                self.role[n] = "table"
            elif typ == "AWS::KMS::Key":
                self.role[n] = "key"
            elif typ in ("AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"):
                self.role[n] = "api"
            elif typ == "AWS::Cognito::UserPoolResourceServer":
                self.role[n] = "=" + p["Identifier"]  # Ref gives the identifier
        for n, r in self.res.items():
            p = r.get("Properties", {})
            if r["Type"] == "AWS::Lambda::Alias" and self.role.get(ref(p["FunctionName"]), "").startswith("fn:"):
                if p.get("Name") == "live":
                    self.role[n] = "alias:" + self.role[ref(p["FunctionName"])][3:]
            if r["Type"] == "AWS::Lambda::Function" and n in self.role:
                self.role[ref(p["Role"])] = "role:" + self.role[n][3:]

    def globals_env(self):
        return self.t.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})

    def name(self, logical):
        base, _, attr = logical.partition(".")
        if logical in self.role:
            r = self.role[logical]
            return r[1:] if r.startswith("=") else "${" + r + "}"
        if base in self.role and not self.role[base].startswith("="):
            return "${" + self.role[base] + "." + attr + "}"
        return "${" + logical + "}"

    def render(self, v):
        """v as a string (or list/dict of them), resources named by role."""
        if isinstance(v, list):
            return [self.render(x) for x in v]
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return str(int(v)) if float(v).is_integer() else str(v)
        if not isinstance(v, dict):
            return str(v).lower() if isinstance(v, bool) else v
        if len(v) == 1:
            (k, a), = v.items()
            if k == "Ref":
                return self.name(a)
            if k == "Fn::GetAtt":
                return self.name(a if isinstance(a, str) else ".".join(a))
            if k == "Fn::Sub":
                s, extra = (a, {}) if isinstance(a, str) else a
                return re.sub(r"\$\{([^}!]+)\}",
                              lambda m: self.render(extra[m[1]]) if m[1] in extra else self.name(m[1]), s)
            if k == "Fn::Join":
                return a[0].join(self.render(x) for x in a[1])
        return {k: self.render(x) for k, x in v.items()}

    def by_role(self, role):
        return [n for n, r in self.role.items() if r == role and n in self.res]

    def of_type(self, typ):
        return {n: r.get("Properties", {}) for n, r in self.res.items() if r["Type"] == typ}


# ---------------------------------------------------------------- facts


def statements(doc):
    return [s for s in doc.get("Statement", []) if isinstance(s, dict)]


def grants(tpl, stmts):
    """{action: sorted resources} of Allow statements; xray:* (tracing's own grant) left out."""
    out = {}
    for s in stmts:
        acts = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        res = tpl.render(s.get("Resource", []))
        res = res if isinstance(res, list) else [res]
        for a in acts:
            if not a.startswith("xray:"):
                out.setdefault(a, set()).update(res)
    return out


def function_facts(tpl, full):
    out = {}
    glob = tpl.t.get("Globals", {}).get("Function", {})
    for trig, n in tpl.fns.items():
        r = tpl.res[n]
        p = r["Properties"]
        stmts = []
        if tpl.sam:
            env = dict(tpl.globals_env(), **p.get("Environment", {}).get("Variables", {}))
            for pol in p.get("Policies", []):
                stmts += statements(pol)
            memory, timeout = p.get("MemorySize", glob.get("MemorySize")), p.get("Timeout", glob.get("Timeout"))
            tracing = p.get("Tracing", glob.get("Tracing", "PassThrough"))
            arch = (p.get("Architectures") or glob.get("Architectures") or ["x86_64"])[0]
            runtime = p.get("Runtime", glob.get("Runtime"))
            if p.get("AutoPublishAlias", glob.get("AutoPublishAlias")) != "live":
                tpl.errors.append(f"{trig}: no AutoPublishAlias live")
        else:
            env = p.get("Environment", {}).get("Variables", {})
            role = ref(p["Role"])
            for pol in tpl.res[role]["Properties"].get("Policies", []):
                stmts += statements(pol["PolicyDocument"])
            memory, timeout = p.get("MemorySize", 128), p.get("Timeout", 3)
            tracing = p.get("TracingConfig", {}).get("Mode", "PassThrough")
            arch, runtime = (p.get("Architectures") or ["x86_64"])[0], p.get("Runtime")
        role_name = f"role:{trig}"
        for pol in tpl.of_type("AWS::IAM::Policy").values():
            if any(tpl.name(ref(x)) == "${" + role_name + "}" for x in pol["Roles"]):
                stmts += statements(pol["PolicyDocument"])
        g = grants(tpl, stmts)
        out[trig] = dict(
            memory=int(memory), timeout=int(timeout), tracing=tracing, architecture=arch, runtime=runtime,
            logRetention=log_retention(tpl, n, p), artifact=artifact(tpl, n, p, glob),
            env=tpl.render(env) if full else sorted(env),
            iam={a: sorted(r) for a, r in sorted(g.items())} if full else sorted(g),
        )
    return out


_DIGESTS = {}


def digest(path):
    if path not in _DIGESTS:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        _DIGESTS[path] = h.hexdigest()
    return _DIGESTS[path]


def artifact(tpl, n, p, glob):
    """The name of the zip the function deploys (see the module doc)."""
    if tpl.sam:
        uri = p.get("CodeUri", glob.get("CodeUri"))
        if isinstance(uri, dict):  # an S3 location
            return os.path.basename(str(uri.get("Key")))
        if not isinstance(uri, str):
            tpl.errors.append(f"{tpl.role[n]}: CodeUri {uri!r} is neither a path nor an S3 location")
            return None
        code_dir = os.path.normpath(os.path.join(os.path.dirname(tpl.path), os.path.dirname(uri)))
        if tpl.code_dir not in (None, code_dir):
            tpl.errors.append(f"{tpl.role[n]}: CodeUri {uri} is not in {tpl.code_dir} as the others")
        tpl.code_dir = code_dir
        return os.path.basename(uri)
    code = p.get("Code", {})
    if "ZipFile" in code:
        return "<inline ZipFile>"
    staged = tpl.res[n].get("Metadata", {}).get("aws:asset:path")
    if staged is not None:  # a CDK asset: cdk.out/asset.<hash>.zip, a copy of the zip it was made from
        staged = os.path.join(os.path.dirname(tpl.path), staged)
        if not os.path.isfile(staged):
            return f"<asset {staged}: not a zip file>"
        zips = sorted(f for f in os.listdir(tpl.code_dir or ".") if f.endswith(".zip")) if tpl.code_dir else []
        same = [f for f in zips if digest(os.path.join(tpl.code_dir, f)) == digest(staged)]
        return same[0] if len(same) == 1 else f"<asset {staged}: the bytes of {same or 'no zip'} of {tpl.code_dir}>"
    key = tpl.render(code.get("S3Key"))
    if not isinstance(key, str):
        tpl.errors.append(f"{tpl.role[n]}: no S3Key or asset in its Code: {code!r}")
        return None
    return os.path.basename(key)


def log_retention(tpl, n, p):
    group = ref(p.get("LoggingConfig", {}).get("LogGroup"))
    if group is None:  # Serverless: the log group named after the function
        want = "/aws/lambda/" + str(p.get("FunctionName"))
        group = next((g for g, q in tpl.of_type("AWS::Logs::LogGroup").items() if q.get("LogGroupName") == want), None)
    if group is None or group not in tpl.res:
        tpl.errors.append(f"{tpl.role[n]}: no log group of its own")
        return None
    return int(tpl.res[group]["Properties"].get("RetentionInDays", 0))


def trigger_facts(tpl):
    """LambdaConfig by role; Cognito's invoke permission on each attached alias."""
    pools = tpl.by_role("pool")
    if len(pools) != 1:
        tpl.errors.append(f"{len(pools)} user pools, want 1")
        return {}
    config = {}
    for k, v in tpl.res[pools[0]]["Properties"].get("LambdaConfig", {}).items():
        if isinstance(v, dict) and "LambdaArn" in v:
            config[k] = {"LambdaArn": tpl.render(v["LambdaArn"]), "LambdaVersion": v.get("LambdaVersion")}
        else:
            config[k] = tpl.render(v)
    perms = [tpl.render(q) for q in tpl.of_type("AWS::Lambda::Permission").values()]
    for k, v in config.items():
        target = v["LambdaArn"] if isinstance(v, dict) else v
        if k == "KMSKeyID":
            continue
        if not target.startswith("${alias:"):
            tpl.errors.append(f"LambdaConfig.{k} names {target}, not a function's live alias")
        elif not any(q.get("FunctionName") == target and q.get("Principal") == COGNITO
                     and q.get("SourceArn") == "${pool.Arn}" and q.get("SourceAccount") == "${AWS::AccountId}"
                     for q in perms):
            tpl.errors.append(f"no invoke permission on {target} for {COGNITO} with SourceArn = the pool and SourceAccount")
    return config


def alarm_facts(tpl):
    """{"<function> <namespace>/<metric>": the alarm's settings}."""
    out = {}
    for p in tpl.of_type("AWS::CloudWatch::Alarm").values():
        p = tpl.render(p)
        fn = ",".join(d["Value"] for d in p.get("Dimensions", []) if d["Name"] == "FunctionName")
        key = f"{fn} {p.get('Namespace')}/{p.get('MetricName')}"
        while key in out:
            key += " (again)"
        out[key] = dict(
            statistic=p.get("Statistic") or p.get("ExtendedStatistic"), period=p.get("Period"),
            evaluationPeriods=p.get("EvaluationPeriods"), threshold=str(float(p.get("Threshold", "nan"))),
            comparison=p.get("ComparisonOperator"), missing=p.get("TreatMissingData"),
            actions=p.get("AlarmActions", []), ok=p.get("OKActions", []),
            described="${" in str(p.get("AlarmDescription")),  # names the function
        )
    return out


def dashboard_facts(tpl):
    boards = list(tpl.of_type("AWS::CloudWatch::Dashboard").values())
    if len(boards) != 1:
        tpl.errors.append(f"{len(boards)} dashboards, want 1")
        return None
    body = tpl.render(boards[0]["DashboardBody"])
    try:
        widgets = json.loads(body)["widgets"]
    except (ValueError, KeyError) as e:
        tpl.errors.append(f"dashboard body is not JSON with widgets: {e}")
        return None
    outputs = {k: tpl.render(v["Value"]) for k, v in tpl.t.get("Outputs", {}).items()}
    return dict(
        name=tpl.render(boards[0].get("DashboardName")),
        url=outputs.get("DashboardUrl"),
        widgets=[dict(title=w["properties"]["title"], stat=w["properties"].get("stat"),
                      metrics=[m if isinstance(m[0], str) else [x["expression"] for x in m]
                               for m in w["properties"]["metrics"]]) for w in widgets],
    )


def api_facts(tpl):
    apis = tpl.by_role("api")
    if len(apis) != 1:
        tpl.errors.append(f"{len(apis)} User APIs, want 1")
        return None
    p = tpl.res[apis[0]]["Properties"]
    cors = tpl.render(p.get("CorsConfiguration"))
    if tpl.sam:
        authorizers = p["Auth"]["Authorizers"]
        default = p["Auth"]["DefaultAuthorizer"]
        a = authorizers[default]
        authorizer = dict(identity=[a["IdentitySource"]], issuer=tpl.render(a["JwtConfiguration"]["issuer"]),
                          audience=tpl.render(a["JwtConfiguration"]["audience"]))
        routes = {}
        for e in tpl.res[tpl.fns["Api"]]["Properties"]["Events"].values():
            q = e["Properties"]
            auth = q.get("Auth", {}).get("Authorizer", default)
            routes[f"{q['Method']} {q['Path']}"] = "NONE" if auth == "NONE" else "JWT"
        integration = dict(target="${alias:Api}", payload="2.0")  # SAM: AutoPublishAlias, payload 2.0
        invoke = True  # SAM writes API Gateway's permission for each route
    else:
        auths = tpl.of_type("AWS::ApiGatewayV2::Authorizer")
        if len(auths) != 1:
            tpl.errors.append(f"{len(auths)} API authorizers, want 1")
            return None
        (aid, a), = auths.items()
        authorizer = dict(identity=a.get("IdentitySource"), issuer=tpl.render(a["JwtConfiguration"]["Issuer"]),
                          audience=tpl.render(a["JwtConfiguration"]["Audience"]))
        if a.get("AuthorizerType") != "JWT":
            tpl.errors.append("the API authorizer is not JWT")
        routes, targets = {}, set()
        integrations = tpl.of_type("AWS::ApiGatewayV2::Integration")
        for q in tpl.of_type("AWS::ApiGatewayV2::Route").values():
            kind = q.get("AuthorizationType", "NONE")
            if kind == "JWT" and ref(q.get("AuthorizerId")) != aid:
                tpl.errors.append(f"route {q['RouteKey']} names another authorizer")
            routes[q["RouteKey"]] = kind
            target = tpl.render(q.get("Target", ""))
            m = re.fullmatch(r"integrations/\$\{(.+)\}", target)
            i = integrations.get(m[1]) if m else None
            if i is None:
                tpl.errors.append(f"route {q['RouteKey']} has no integration")
                continue
            targets.add((tpl.render(i["IntegrationUri"]), i.get("PayloadFormatVersion"), i.get("IntegrationType")))
        if len(targets) != 1:
            tpl.errors.append(f"the routes reach {len(targets)} integrations: {sorted(targets)}")
            return None
        (target, payload, kind), = targets
        if kind != "AWS_PROXY":
            tpl.errors.append("the API integration is not AWS_PROXY")
        integration = dict(target=target, payload=payload)
        invoke = any(q.get("FunctionName") == target and q.get("Principal") == "apigateway.amazonaws.com"
                     and "${api}" in str(q.get("SourceArn"))
                     for q in (tpl.render(x) for x in tpl.of_type("AWS::Lambda::Permission").values()))
    return dict(cors=cors, authorizer=authorizer, routes=dict(sorted(routes.items())), integration=integration,
                invoke=invoke)


POOL_KEYS = ["UserPoolTier", "UsernameAttributes", "UsernameConfiguration", "AutoVerifiedAttributes",
             "AccountRecoverySetting", "Policies", "EmailConfiguration", "VerificationMessageTemplate"]
CLIENT_KEYS = ["GenerateSecret", "ExplicitAuthFlows", "PreventUserExistenceErrors", "EnableTokenRevocation",
               "AllowedOAuthFlowsUserPoolClient", "AllowedOAuthFlows", "AllowedOAuthScopes",
               "ReadAttributes", "WriteAttributes"]
MINUTES = {"minutes": 1, "hours": 60, "days": 1440}


def validity(p, key, unit_default):
    v = p.get(f"{key}TokenValidity")
    if v is None:
        return None
    return int(v) * MINUTES[p.get("TokenValidityUnits", {}).get(f"{key}Token", unit_default)]


def cognito_facts(tpl):
    out = {}
    pool = tpl.by_role("pool")
    if pool:
        p = tpl.render(tpl.res[pool[0]]["Properties"])
        pol = p.get("Policies", {}).get("PasswordPolicy", {})
        p["Policies"] = {"PasswordPolicy": {k: str(v).lower() for k, v in pol.items()}}
        p.setdefault("VerificationMessageTemplate", {}).pop("EmailMessage", None)
        p["VerificationMessageTemplate"].pop("EmailSubject", None)
        p["VerificationMessageTemplate"].pop("SmsMessage", None)
        out["pool"] = {k: p.get(k) for k in POOL_KEYS}
    for n in tpl.of_type("AWS::Cognito::UserPoolClient"):
        p = tpl.render(tpl.res[n]["Properties"])
        c = {k: sorted(p[k]) if isinstance(p.get(k), list) else p.get(k) for k in CLIENT_KEYS}
        for k in ("GenerateSecret", "AllowedOAuthFlowsUserPoolClient"):
            c[k] = c[k] or "false"
        c["validity"] = [validity(p, "Access", "hours"), validity(p, "Id", "hours"), validity(p, "Refresh", "days")]
        out[tpl.role[n]] = c
    out["resourceServers"] = sorted(
        json.dumps({k: tpl.render(v) for k, v in p.items() if k != "UserPoolId"}, sort_keys=True)
        for p in tpl.of_type("AWS::Cognito::UserPoolResourceServer").values())
    out["domains"] = sorted(p["Domain"] for p in tpl.of_type("AWS::Cognito::UserPoolDomain").values())
    out["groups"] = sorted((p["GroupName"], int(p.get("Precedence", -1)))
                           for p in tpl.of_type("AWS::Cognito::UserPoolGroup").values())
    tables = list(tpl.of_type("AWS::DynamoDB::Table").values())
    out["table"] = [{k: tpl.render(t.get(k)) for k in ("KeySchema", "BillingMode", "TimeToLiveSpecification",
                                                       "PointInTimeRecoverySpecification", "DeletionProtectionEnabled")}
                    for t in tables]
    keys = list(tpl.of_type("AWS::KMS::Key").values())
    out["senderKey"] = [dict(rotation=k.get("EnableKeyRotation"),
                             cognito=[tpl.render(s) for s in statements(k["KeyPolicy"])
                                      if s.get("Principal", {}).get("Service") == COGNITO]) for k in keys]
    return out


def facts(t, path, full, code_dir=None):
    """The facts of t, the errors found on the way, and the directory of its (SAM's) CodeUri zips."""
    tpl = Template(t, path)
    tpl.code_dir = code_dir
    f = dict(functions=function_facts(tpl, full), lambdaConfig=trigger_facts(tpl), alarms=alarm_facts(tpl),
             dashboard=dashboard_facts(tpl), userApi=api_facts(tpl), cognito=cognito_facts(tpl))
    return f, [f"{path}: {e}" for e in tpl.errors], tpl.code_dir


def diff(want, got, where, out):
    if isinstance(want, dict) and isinstance(got, dict):
        for k in sorted(set(want) | set(got), key=str):
            diff(want.get(k, "<absent>"), got.get(k, "<absent>"), f"{where}.{k}", out)
    elif want != got:
        out.append(f"{where}:\n    SAM  {json.dumps(want, sort_keys=True)}\n    here {json.dumps(got, sort_keys=True)}")


def main():
    args = sys.argv[1:]
    full = args[:1] == ["--full"]
    if full:
        args = args[1:]
    if len(args) < 2:
        raise SystemExit(__doc__)
    sam_path, others = args[0], args[1:]
    want, errors, code_dir = facts(evaluate(load(sam_path), FULL_SAM_PARAMETERS if full else None), sam_path, full)
    failed = bool(errors)
    for e in errors:
        print("deploy-equivalence:", e, file=sys.stderr)
    for path in others:
        got, errors, _ = facts(evaluate(load(path)), path, full, code_dir)
        for section in want:
            if section == "cognito" and "pool" not in got[section]:
                want_c = dict(want[section])
                want_c.pop("pool")  # the pool is the app's own (CDK existingPool)
                diff(want_c, got[section], f"{path}: cognito", errors)
            else:
                diff(want[section], got[section], f"{path}: {section}", errors)
        for e in errors:
            print("deploy-equivalence:", e, file=sys.stderr)
        failed |= bool(errors)
        if not errors:
            print(f"deploy-equivalence: {path}: as {sam_path}{' (every option on)' if full else ''}: "
                  f"{len(got['functions'])} functions (each its own artifact), {len(got['alarms'])} alarms, "
                  f"{len(got['userApi']['routes'])} API routes, the dashboard, the pool's triggers")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
