// An example app: a stack with a new pool and poolside's triggers on it.
//   npx cdk synth            (each function's asset dist/<artifact>-arm64.zip: make build)
//   npx cdk synth -c poolsideCode=s3://BUCKET/PREFIX (each function's zip at PREFIX/<artifact>-arm64.zip in S3; no zip needed)
//   npx cdk synth -c existingPool=true              (the triggers on a pool the app defines itself)
//   npx cdk synth -c migration=true -c senders=true (UserMigration; the custom senders instead of CustomMessage)
//   npx cdk synth -c full=true                      (also PoolsideExampleFull: every option on, for make deploy-check)
// The stacks are environment-agnostic (no account or region, no lookups): synth runs offline.
import { Annotations, App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Poolside, PoolsideFunction, PoolsideProps } from '../lib/poolside';

const app = new App();
const location = app.node.tryGetContext('poolsideCode') as string | undefined;

/** With -c poolsideCode=s3://BUCKET[/PREFIX]: each function's own zip there (PREFIX/presignup-arm64.zip, …). */
function code(stack: Stack): ((fn: PoolsideFunction, zip: string) => lambda.Code) | undefined {
  if (!location) {
    return undefined;
  }
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(location);
  if (!m) {
    throw new Error(`poolsideCode must be s3://BUCKET or s3://BUCKET/PREFIX, not ${location}`);
  }
  const bucket = s3.Bucket.fromBucketName(stack, 'CodeBucket', m[1]);
  // Fixed keys: a new build needs a new prefix (or objectVersion) to update the functions.
  Annotations.of(bucket).acknowledgeWarning('@aws-cdk/aws-lambda:codeFromBucketObjectVersionNotSpecified');
  const prefix = (m[2] ?? '').replace(/\/+$/, '');
  return (_fn, zip) => lambda.Code.fromBucket(bucket, prefix ? `${prefix}/${zip}` : zip);
}

function outputs(stack: Stack, auth: Poolside): void {
  new CfnOutput(stack, 'UserPoolId', { value: auth.userPool.userPoolId });
  new CfnOutput(stack, 'ProfileTableName', { value: auth.profileTable.tableName });
  new CfnOutput(stack, 'UserPoolClientId', { value: auth.userPoolClient.userPoolClientId });
  new CfnOutput(stack, 'DashboardUrl', { value: auth.dashboardUrl });
  if (auth.userApiUrl) {
    new CfnOutput(stack, 'UserApiUrl', { value: auth.userApiUrl, description: "The User API's base URL (GET <url>/me)." });
  }
  if (auth.machineClient) {
    new CfnOutput(stack, 'MachineClientId', { value: auth.machineClient.userPoolClientId });
  }
}

const stack = new Stack(app, 'PoolsideExample', {
  description: 'poolside — Cognito user-pool triggers (AWS CDK example app)',
});

let userPool: cognito.UserPool | undefined;
if (app.node.tryGetContext('existingPool') === 'true') {
  // A pool of your own: Poolside only adds triggers, permissions, groups, the web client and the User API.
  userPool = new cognito.UserPool(stack, 'MyPool', {
    userPoolName: 'my-pool',
    signInAliases: { email: true },
    featurePlan: cognito.FeaturePlan.ESSENTIALS,
  });
}

const auth = new Poolside(stack, 'Auth', {
  userPool,
  code: code(stack),
  tenantDomains: 'example.com=acme',
  migration: app.node.tryGetContext('migration') === 'true'
    ? { legacySource: 'https://legacy.example.com/users', bcryptCost: 12 }
    : undefined,
  customSenders: app.node.tryGetContext('senders') === 'true'
    ? { from: 'Example <no-reply@example.com>', sesSourceArn: `arn:aws:ses:us-east-1:123456789012:identity/example.com` }
    : undefined,
});
outputs(stack, auth);

if (app.node.tryGetContext('full') === 'true') {
  // Every option on, with the values of FULL_SAM_PARAMETERS in .ci/deploy-equivalence.py
  // (make deploy-check holds this stack to the SAM template with those parameters).
  const full = new Stack(app, 'PoolsideExampleFull', {
    description: 'poolside — Cognito user-pool triggers (AWS CDK example app, every option on)',
  });
  const props: PoolsideProps = {
    code: code(full),
    tenantDomains: 'example.com=acme',
    sesSourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
    preAuthFailClosed: true,
    migration: {
      legacySource: 'dynamodb://legacy-users',
      bcryptCost: 13,
      breachedPasswordCheck: 'hibp',
      legacyTableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/legacy-users',
      legacyPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_legacy',
    },
    customSenders: {
      from: 'Example <no-reply@example.com>',
      sesSourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
      configurationSet: 'poolside',
    },
    portalOrigin: 'https://portal.example.com',
    authDomainPrefix: 'poolside-example',
    apiKeysSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:poolside-api-keys',
    alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:poolside-alarms',
    slowInvocationMs: 3500,
    logRetention: logs.RetentionDays.THREE_MONTHS,
  };
  outputs(full, new Poolside(full, 'Auth', props));
}
