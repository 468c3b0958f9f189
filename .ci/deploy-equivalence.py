#!/usr/bin/env python3
"""Holds the CDK synth and the Serverless package to deploy/template.yaml (SAM, default
parameters): per trigger function (POOLSIDE_TRIGGERS) the same memory, timeout, X-Ray tracing, environment
variable names and IAM actions; the pool's LambdaConfig names the function's `live` alias;
Cognito's invoke permission on that alias carries SourceArn (the pool) and SourceAccount.
Usage: deploy-equivalence.py SAM_TEMPLATE OTHER_TEMPLATE... (make deploy-check)."""
import json
import sys

import yaml

BASIC = "AWSLambdaBasicExecutionRole"


class Loader(yaml.SafeLoader):
    pass


def _tag(loader, suffix, node):  # !Ref X -> {"Ref": X}, !GetAtt A.B -> {"Fn::GetAtt": "A.B"}, …
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {suffix if suffix == "Ref" else f"Fn::{suffix}": value}


Loader.add_multi_constructor("!", _tag)


def load(path):
    with open(path) as f:
        return json.load(f) if path.endswith(".json") else yaml.load(f, Loader=Loader)


def actions(statements):
    out = set()
    for s in statements:
        if not isinstance(s, dict) or "Action" not in s:
            continue  # Fn::If: a conditional statement (non-default parameters)
        a = s["Action"]
        # xray:*: tracing's own grant (SAM and Serverless: a managed policy; CDK: statements)
        out.update(x for x in ([a] if isinstance(a, str) else a) if not x.startswith("xray:"))
    return out


def ref(v):
    if isinstance(v, dict):
        if "Ref" in v:
            return v["Ref"].split(".")[0]
        if "Fn::GetAtt" in v:
            g = v["Fn::GetAtt"]
            return (g if isinstance(g, list) else g.split("."))[0]
    return None


def sam(t):
    res, glob = t["Resources"], t["Globals"]["Function"]
    out = {}
    for name, r in res.items():
        if r["Type"] != "AWS::Serverless::Function" or "Condition" in r:
            continue
        p = r["Properties"]
        env = dict(glob["Environment"]["Variables"], **p["Environment"]["Variables"])
        trig = env["POOLSIDE_TRIGGERS"]
        if trig == "none":
            continue
        acts = set()
        for pol in p.get("Policies", []):
            acts |= actions(pol.get("Statement", []))
        for r2 in res.values():
            if r2["Type"] == "AWS::IAM::Policy" and any(ref(x) == f"{name}Role" for x in r2["Properties"]["Roles"]):
                acts |= actions(r2["Properties"]["PolicyDocument"]["Statement"])
        out[trig] = dict(memory=p.get("MemorySize", glob["MemorySize"]), timeout=p.get("Timeout", glob["Timeout"]),
                         tracing=p.get("Tracing", glob.get("Tracing", "PassThrough")), env=sorted(env), actions=sorted(acts))
    return out


def other(t, path):
    res, out, errors = t["Resources"], {}, []
    aliases = {n: ref(r["Properties"]["FunctionName"]) for n, r in res.items() if r["Type"] == "AWS::Lambda::Alias"}
    pools = [n for n, r in res.items() if r["Type"] == "AWS::Cognito::UserPool"]
    config = {}
    for pool in pools:
        for k, v in res[pool]["Properties"].get("LambdaConfig", {}).items():
            if isinstance(v, dict) and "LambdaArn" in v:
                v = v["LambdaArn"]
            if k != "KMSKeyID":
                config[k.removesuffix("Config")] = (pool, ref(v))
    for name, r in res.items():
        if r["Type"] != "AWS::Lambda::Function":
            continue
        p = r["Properties"]
        env = p.get("Environment", {}).get("Variables", {})
        trig = env.get("POOLSIDE_TRIGGERS")
        if trig is None:
            continue
        role = ref(p["Role"])
        acts = set()
        for pol in res[role]["Properties"].get("Policies", []):
            acts |= actions(pol["PolicyDocument"]["Statement"])
        for r2 in res.values():
            if r2["Type"] == "AWS::IAM::Policy" and any(ref(x) == role for x in r2["Properties"]["Roles"]):
                acts |= actions(r2["Properties"]["PolicyDocument"]["Statement"])
        out[trig] = dict(memory=p.get("MemorySize", 128), timeout=p.get("Timeout", 3),
                         tracing=p.get("TracingConfig", {}).get("Mode", "PassThrough"), env=sorted(env), actions=sorted(acts))
        pool, alias = config.get(trig, (None, None))
        if alias is None or aliases.get(alias) != name or res[alias]["Properties"].get("Name") != "live":
            errors.append(f"{path}: the pool's LambdaConfig.{trig} does not name {name}'s live alias")
            continue
        perms = [x["Properties"] for x in res.values() if x["Type"] == "AWS::Lambda::Permission"
                 and ref(x["Properties"]["FunctionName"]) == alias]
        if not any(q.get("Principal") == "cognito-idp.amazonaws.com" and ref(q.get("SourceArn")) == pool
                   and q.get("SourceAccount") == {"Ref": "AWS::AccountId"} for q in perms):
            errors.append(f"{path}: no invoke permission on {alias} with SourceArn = {pool} and SourceAccount")
    return out, errors


def main():
    want = sam(load(sys.argv[1]))
    failed = False
    for path in sys.argv[2:]:
        got, errors = other(load(path), path)
        for trig in sorted(set(want) | set(got)):
            if want.get(trig) != got.get(trig):
                errors.append(f"{path}: {trig}: SAM {want.get(trig)}\n    here {got.get(trig)}")
        for e in errors:
            print("deploy-equivalence:", e, file=sys.stderr)
        failed |= bool(errors)
        if not errors:
            print(f"deploy-equivalence: {path}: {len(got)} trigger functions as in {sys.argv[1]}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
