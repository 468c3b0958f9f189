'use strict';
// Serverless Framework v3 plugin. For every function of serverless.yml:
// - a `live` alias on its published version (as SAM's AutoPublishAlias), named
//   <Function>LiveAlias, which the pool's LambdaConfig, the invoke permissions and the User
//   API's integration refer to (triggers cannot name a version);
// - the template's three alarms: <Function>ErrorsAlarm (any error, one minute),
//   <Function>ThrottlesAlarm (any throttle, one minute), <Function>DurationAlarm (p99 over five
//   minutes >= custom.poolsideAlarms.slowInvocationMs), notifying custom.poolsideAlarms.topicArn
//   when set;
// - custom.poolsideRules (the template's Rules): refuses to package when one fails;
// - a function's `condition: NAME` (the framework puts it on the function only): the
//   CloudFormation Condition NAME on its version, log group and everything above too, as
//   the template's `Condition:` on a SAM function.
class PoolsideAlias {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:finalize': () => this.addAliases(),
      // After the framework merged `resources` (and its Conditions) into the template.
      'before:aws:package:finalize:saveServiceState': () => this.resolveConditions(),
    };
  }

  /**
   * The params are fixed when packaging, so every Condition is a constant: evaluate them,
   * drop the resources and outputs whose Condition is false, take the chosen branch of each
   * Fn::If (AWS::NoValue drops the key or item), and leave no Conditions in the template.
   */
  resolveConditions() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const conditions = template.Conditions || {};
    const NONE = Symbol('NoValue');
    const memo = {};
    const condition = (name) => {
      if (!(name in conditions)) {
        throw new Error(`poolside-alias: no Condition ${name}`);
      }
      if (!(name in memo)) {
        memo[name] = truth(conditions[name]);
      }
      return memo[name];
    };
    const truth = (e) => {
      const [[op, args]] = Object.entries(e);
      switch (op) {
        case 'Fn::Equals': return JSON.stringify(resolve(args[0])) === JSON.stringify(resolve(args[1]));
        case 'Fn::Not': return !truth(args[0]);
        case 'Fn::And': return args.every(truth);
        case 'Fn::Or': return args.some(truth);
        case 'Condition': return condition(args);
        default: throw new Error(`poolside-alias: cannot evaluate ${op} in a Condition`);
      }
    };
    const resolve = (v) => {
      if (Array.isArray(v)) {
        return v.map(resolve).filter((x) => x !== NONE);
      }
      if (v === null || typeof v !== 'object') {
        return v;
      }
      if (v.Ref === 'AWS::NoValue') {
        return NONE;
      }
      if (Object.keys(v).length === 1 && 'Fn::If' in v) {
        const [name, yes, no] = v['Fn::If'];
        return resolve(condition(name) ? yes : no);
      }
      const out = {};
      for (const [k, x] of Object.entries(v)) {
        const r = resolve(x);
        if (r !== NONE) {
          out[k] = r;
        }
      }
      return out;
    };
    for (const section of ['Resources', 'Outputs']) {
      const items = template[section] || {};
      for (const [id, item] of Object.entries(items)) {
        if (item.Condition !== undefined && !condition(item.Condition)) {
          delete items[id];
          continue;
        }
        delete item.Condition;
        items[id] = resolve(item);
      }
    }
    delete template.Conditions;
  }

  addAliases() {
    const provider = this.serverless.getProvider('aws');
    for (const rule of (this.serverless.service.custom || {}).poolsideRules || []) {
      if (String(rule.when) === 'true' && rule.require.some((v) => v === '' || v === undefined || v === null)) {
        throw new Error(`poolside: ${rule.message}`);
      }
    }
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    const alarms = (this.serverless.service.custom || {}).poolsideAlarms || {};
    const slowMs = Number(alarms.slowInvocationMs);
    if (!Number.isFinite(slowMs) || slowMs < 100) {
      throw new Error(`poolside-alias: custom.poolsideAlarms.slowInvocationMs must be a number >= 100, not ${alarms.slowInvocationMs}`);
    }
    const actions = alarms.topicArn ? { AlarmActions: [alarms.topicArn], OKActions: [alarms.topicArn] } : {};
    for (const name of this.serverless.service.getAllFunctions()) {
      const fn = this.serverless.service.getFunction(name);
      const fnId = provider.naming.getLambdaLogicalId(name);
      const prefix = provider.naming.getNormalizedFunctionName(name);
      const versionId = Object.keys(resources).find(
        (id) => resources[id].Type === 'AWS::Lambda::Version' && resources[id].Properties.FunctionName.Ref === fnId,
      );
      if (!versionId) {
        throw new Error(`poolside-alias: no published version of ${name} (versionFunctions must stay true)`);
      }
      const made = {
        [`${prefix}LiveAlias`]: {
          Type: 'AWS::Lambda::Alias',
          Properties: {
            FunctionName: { Ref: fnId },
            FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
            Name: 'live',
          },
        },
      };
      const alarm = (what, text, props) => {
        made[`${prefix}${what}Alarm`] = {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            AlarmDescription: { 'Fn::Sub': `poolside ${name} \${${fnId}} ${text}` },
            Namespace: 'AWS/Lambda',
            MetricName: what,
            Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
            ...props,
            EvaluationPeriods: 1,
            TreatMissingData: 'notBreaching',
            ...actions,
          },
        };
      };
      alarm('Errors', 'returned an error (refusals are not errors)',
        { Statistic: 'Sum', Period: 60, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      alarm('Throttles', 'was throttled: Cognito retries, then fails the request',
        { Statistic: 'Sum', Period: 60, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      alarm('Duration', "p99 duration is near Cognito's 5 s",
        { ExtendedStatistic: 'p99', Period: 300, Threshold: slowMs, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      Object.assign(resources, made);
      if (fn.condition) {
        const logGroupId = provider.naming.getLogGroupLogicalId(name);
        for (const id of [fnId, versionId, logGroupId, ...Object.keys(made)]) {
          if (resources[id]) {
            resources[id].Condition = fn.condition;
          }
        }
        const outputs = this.serverless.service.provider.compiledCloudFormationTemplate.Outputs || {};
        for (const output of Object.values(outputs)) {
          if (output.Value && output.Value.Ref === versionId) {
            output.Condition = fn.condition; // the framework's <Function>LambdaFunctionQualifiedArn
          }
        }
      }
    }
  }
}

module.exports = PoolsideAlias;
