// An example app: a stack with a new pool and poolside's triggers on it.
//   npx cdk synth            (the asset dist/poolside-arm64.zip: make build)
//   npx cdk synth -c poolsideCode=s3://BUCKET/KEY   (code already in S3; no zip needed)
//   npx cdk synth -c existingPool=true              (the triggers on a pool the app defines itself)
//   npx cdk synth -c migration=true -c senders=true (UserMigration; the custom senders instead of CustomMessage)
// The stack is environment-agnostic (no account or region, no lookups): synth runs offline.
import { Annotations, App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Poolside } from '../lib/poolside';

const app = new App();
const stack = new Stack(app, 'PoolsideExample', {
  description: 'poolside — Cognito user-pool triggers (AWS CDK example app)',
});

let code: lambda.Code | undefined;
const location = app.node.tryGetContext('poolsideCode') as string | undefined;
if (location) {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  if (!m) {
    throw new Error(`poolsideCode must be s3://BUCKET/KEY, not ${location}`);
  }
  const bucket = s3.Bucket.fromBucketName(stack, 'CodeBucket', m[1]);
  code = lambda.Code.fromBucket(bucket, m[2]);
  // A fixed key: a new build needs a new key (or objectVersion) to update the functions.
  Annotations.of(bucket).acknowledgeWarning('@aws-cdk/aws-lambda:codeFromBucketObjectVersionNotSpecified');
}

let userPool: cognito.UserPool | undefined;
if (app.node.tryGetContext('existingPool') === 'true') {
  // A pool of your own: Poolside only adds triggers, permissions and groups.
  userPool = new cognito.UserPool(stack, 'MyPool', {
    userPoolName: 'my-pool',
    signInAliases: { email: true },
    featurePlan: cognito.FeaturePlan.ESSENTIALS,
  });
}

const auth = new Poolside(stack, 'Auth', {
  userPool,
  code,
  tenantDomains: 'example.com=acme',
  migration: app.node.tryGetContext('migration') === 'true'
    ? { legacySource: 'https://legacy.example.com/users', bcryptCost: 12 }
    : undefined,
  customSenders: app.node.tryGetContext('senders') === 'true'
    ? { from: 'Example <no-reply@example.com>', sesSourceArn: `arn:aws:ses:us-east-1:123456789012:identity/example.com` }
    : undefined,
});

new CfnOutput(stack, 'UserPoolId', { value: auth.userPool.userPoolId });
new CfnOutput(stack, 'ProfileTableName', { value: auth.profileTable.tableName });
if (auth.userPoolClient) {
  new CfnOutput(stack, 'UserPoolClientId', { value: auth.userPoolClient.userPoolClientId });
}
