'use strict';
// Serverless Framework v3 plugin: a `live` alias on each function's published version
// (as SAM's AutoPublishAlias), named <Function>LiveAlias, which the pool's LambdaConfig
// and the invoke permissions in serverless.yml refer to. Triggers cannot name a version.
class PoolsideAlias {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.addAliases() };
  }

  addAliases() {
    const provider = this.serverless.getProvider('aws');
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    for (const name of this.serverless.service.getAllFunctions()) {
      const fnId = provider.naming.getLambdaLogicalId(name);
      const versionId = Object.keys(resources).find(
        (id) => resources[id].Type === 'AWS::Lambda::Version' && resources[id].Properties.FunctionName.Ref === fnId,
      );
      if (!versionId) {
        throw new Error(`poolside-alias: no published version of ${name} (versionFunctions must stay true)`);
      }
      resources[`${provider.naming.getNormalizedFunctionName(name)}LiveAlias`] = {
        Type: 'AWS::Lambda::Alias',
        Properties: {
          FunctionName: { Ref: fnId },
          FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
          Name: 'live',
        },
      };
    }
  }
}

module.exports = PoolsideAlias;
