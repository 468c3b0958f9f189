// Poolside: poolside's Cognito triggers as one AWS CDK construct, the same
// resources, settings and least-privilege IAM as deploy/template.yaml (SAM):
// one function per trigger (POOLSIDE_TRIGGERS), each with its own artifact
// (dist/<artifact>-arm64.zip, deploy/functions.txt), behind a `live` alias the
// pool names, an invoke permission limited to the pool (SourceArn) and the
// account (SourceAccount), a log group each, and the profile table; the User
// API (HTTP API, JWT authorizer, ApiFunction); three alarms per function and
// the dashboard. .ci/deploy-equivalence.py holds the example app's synth to
// the SAM template (make deploy-check).
import * as path from 'path';
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwactions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The triggers poolside answers, by their POOLSIDE_TRIGGERS name. */
export type Trigger =
  | 'PreSignUp'
  | 'CustomMessage'
  | 'CustomEmailSender'
  | 'CustomSMSSender'
  | 'PostConfirmation'
  | 'PreAuthentication'
  | 'PostAuthentication'
  | 'PreTokenGeneration'
  | 'UserMigration';

/** A function of the construct: a trigger's, or "Api" (the User API's, POOLSIDE_TRIGGERS=none). */
export type PoolsideFunction = Trigger | 'Api';

/** bcrypt cost -> UserMigration memory (MB), the template's BcryptMemory mapping. */
export const BCRYPT_MEMORY: Record<number, number> = { 10: 256, 11: 512, 12: 1024, 13: 1769, 14: 1769 };

/**
 * Each function's artifact, as deploy/functions.txt names it (and deploy/template.yaml's CodeUri):
 * `make build` writes dist/<artifact>-arm64.zip, which links only that function's trigger.
 * `make deploy-check` holds the synthesized functions' code to the template's CodeUri.
 */
export const ARTIFACTS: Record<PoolsideFunction, string> = {
  PreSignUp: 'presignup',
  CustomMessage: 'custommessage',
  CustomEmailSender: 'customemailsender',
  CustomSMSSender: 'customsmssender',
  PostConfirmation: 'postconfirmation',
  PostAuthentication: 'postauthentication',
  PreAuthentication: 'preauthentication',
  PreTokenGeneration: 'pretokengeneration',
  UserMigration: 'usermigration',
  Api: 'api',
};

/** The zip of a function (arm64, the construct's architecture), e.g. "presignup-arm64.zip". */
export function artifactZip(fn: PoolsideFunction): string {
  return `${ARTIFACTS[fn]}-arm64.zip`;
}

/** Where `make build` writes the zips: the repository's dist/. */
export const DEFAULT_DIST_DIR = path.join(__dirname, '..', '..', '..', '..', 'dist');

export interface MigrationProps {
  /** POOLSIDE_LEGACY_SOURCE: cognito-idp://…, dynamodb://TABLE, https://…, mysql://… or postgres://… */
  readonly legacySource: string;
  /** Highest bcrypt cost in the legacy store (10–14); sizes the function. Default 12. */
  readonly bcryptCost?: number;
  /** POOLSIDE_MIGRATION_BREACHED: "hibp" or "" (default). */
  readonly breachedPasswordCheck?: string;
  /** ARN of the legacy DynamoDB table (dynamodb:// source): GetItem and Query on it and its indexes. */
  readonly legacyTableArn?: string;
  /** ARN of the old user pool (cognito-idp:// source): AdminInitiateAuth, AdminGetUser, ListUsers on it. */
  readonly legacyPoolArn?: string;
}

export interface CustomSendersProps {
  /** POOLSIDE_SENDER_FROM, e.g. "Example <no-reply@example.com>". */
  readonly from: string;
  /** ARN of the verified SES identity of `from`. */
  readonly sesSourceArn: string;
  /** POOLSIDE_SENDER_CONFIGURATION_SET (optional). */
  readonly configurationSet?: string;
}

export interface PoolsideProps {
  /**
   * The pool to attach the triggers to: one your app already defines (new or
   * taken over with `cdk import`). Omitted: a new pool with the SAM template's
   * settings (email as username, password policy, verified-email recovery).
   */
  readonly userPool?: cognito.UserPool;
  /** Name of the new pool (only without `userPool`). Default "poolside". */
  readonly userPoolName?: string;
  /** The new pool's feature plan (only without `userPool`). Default ESSENTIALS (pre token generation V2_0). */
  readonly featurePlan?: cognito.FeaturePlan;
  /**
   * The new pool's password policy (only without `userPool`). Default the template's: 8 characters,
   * upper and lower case and digits, no symbols, temporary passwords valid 7 days.
   */
  readonly passwordPolicy?: cognito.PasswordPolicy;
  /** The pool's username attributes, for POOLSIDE_USERNAME_ATTRIBUTES of UserMigration. Default ["email"]. */
  readonly usernameAttributes?: string[];
  /** An existing profile table (single-table layout, key "pk" S). Omitted: a new one, retained on delete. */
  readonly profileTable?: dynamodb.ITable;
  /**
   * The directory of `make build`'s zips: each function takes its own artifact,
   * `<distDir>/<artifact>-arm64.zip` (ARTIFACTS, deploy/functions.txt), as an asset.
   * Default: the repository's dist/ (DEFAULT_DIST_DIR). Ignored with `code`.
   */
  readonly distDir?: string;
  /**
   * The code of each function instead of the assets under distDir, given the function
   * (trigger name, or "Api") and its zip's name (artifactZip: "presignup-arm64.zip", …),
   * e.g. `(fn, zip) => lambda.Code.fromBucket(bucket, "releases/v42/" + zip)`.
   */
  readonly code?: (fn: PoolsideFunction, zip: string) => lambda.Code;
  /** Pre token generation event version. Default V2_0. */
  readonly preTokenGenerationVersion?: cognito.LambdaVersion;
  /** POOLSIDE_TENANT_DOMAINS ("example.com=acme,example.org=globex"). Default "". */
  readonly tenantDomains?: string;
  /** POOLSIDE_DEFAULT_TENANT. Default "default". */
  readonly defaultTenant?: string;
  /** POOLSIDE_APP_URL, the page the confirmation link opens. Default https://app.example.com/confirm. */
  readonly appUrl?: string;
  /** ARN of a verified SES identity the pool sends from (EmailSendingAccount DEVELOPER). Default: Cognito's. */
  readonly sesSourceArn?: string;
  /** POOLSIDE_PREAUTH_FAIL_CLOSED. Default false. */
  readonly preAuthFailClosed?: boolean;
  /** Just-in-time migration (the UserMigration trigger). Default off. */
  readonly migration?: MigrationProps;
  /** CustomEmailSender and CustomSMSSender with a KMS key of this stack, instead of CustomMessage. Default off. */
  readonly customSenders?: CustomSendersProps;
  /** Retention of each function's log group. Default one month. */
  readonly logRetention?: logs.RetentionDays;
  /** Create the USER and ADMIN groups (PostConfirmation adds every user to USER). Default true. */
  readonly groups?: boolean;
  /**
   * The app client the User API's JWT authorizer accepts (audience) and whose
   * id POOLSIDE_JWT_CLIENT_IDS lists. Omitted: a new `web` client on the pool
   * (the template's UserPoolClient; USER_PASSWORD_AUTH with `migration`).
   */
  readonly userPoolClient?: cognito.IUserPoolClient;
  /** The User API: HTTP API, JWT authorizer, ApiFunction (the template's UserApi). Default true. */
  readonly userApi?: boolean;
  /** Origin the portal is served from (scheme://host[:port]); the User API's CORS allows only it. Default http://localhost:5173. */
  readonly portalOrigin?: string;
  /**
   * Prefix of the pool's Cognito domain: with it, the domain and the `machine`
   * client-credentials app client (scope poolside/admin). Default: neither.
   */
  readonly authDomainPrefix?: string;
  /** Secrets Manager secret listing the SHA-256 of each accepted x-api-key (POOLSIDE_API_KEYS). Default: no API keys. */
  readonly apiKeysSecretArn?: string;
  /** SNS topic every alarm notifies (alarm and OK). Default: the alarms notify nobody. */
  readonly alarmTopicArn?: string;
  /** A function's p99 duration (ms, five minutes) that raises its Duration alarm. Default 4000 (Cognito waits 5000). */
  readonly slowInvocationMs?: number;
}

/** One trigger's function, its `live` alias and log group. */
export interface TriggerFunction {
  readonly function: lambda.Function;
  readonly alias: lambda.Alias;
  readonly logGroup: logs.LogGroup;
  /** Errors (any, one minute), Throttles (any, one minute), Duration (p99 >= slowInvocationMs, five minutes). */
  readonly alarms: cloudwatch.Alarm[];
}

const PROFILE_WRITE = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];
const PROFILE_COGNITO = ['cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminGetUser'];

/** The User API's routes (the template's ApiFunction Events): [method, path, behind the JWT authorizer]. */
const API_ROUTES: [apigwv2.HttpMethod, string, boolean][] = [
  [apigwv2.HttpMethod.GET, '/me', true],
  [apigwv2.HttpMethod.PUT, '/me/data', true],
  [apigwv2.HttpMethod.PATCH, '/me/data', true],
  [apigwv2.HttpMethod.PATCH, '/me/preferences', true],
  // Machine routes: no gateway authorizer, so x-api-key callers reach them;
  // poolside verifies their tokens itself (scope poolside/admin).
  [apigwv2.HttpMethod.POST, '/users', false],
  [apigwv2.HttpMethod.GET, '/users', false],
  [apigwv2.HttpMethod.GET, '/users/{id}', false],
  [apigwv2.HttpMethod.PATCH, '/users/{id}', false],
  [apigwv2.HttpMethod.DELETE, '/users/{id}', false],
  [apigwv2.HttpMethod.PUT, '/users/{id}/data', false],
  [apigwv2.HttpMethod.PATCH, '/users/{id}/data', false],
  [apigwv2.HttpMethod.POST, '/users/{id}/badges/{name}', false],
  [apigwv2.HttpMethod.DELETE, '/users/{id}/badges/{name}', false],
  [apigwv2.HttpMethod.POST, '/tokens/verify', false],
];

/** The functions on the dashboard's Lambda widgets, as the template's (the optional ones have their alarms). */
const DASHBOARD_FUNCTIONS: PoolsideFunction[] = [
  'PreSignUp', 'CustomMessage', 'PostConfirmation', 'PostAuthentication', 'PreAuthentication', 'PreTokenGeneration', 'Api',
];

/** Cognito's name of each trigger in LambdaConfig / the CDK operation. */
const OPERATIONS: Record<Trigger, cognito.UserPoolOperation> = {
  PreSignUp: cognito.UserPoolOperation.PRE_SIGN_UP,
  CustomMessage: cognito.UserPoolOperation.CUSTOM_MESSAGE,
  CustomEmailSender: cognito.UserPoolOperation.CUSTOM_EMAIL_SENDER,
  CustomSMSSender: cognito.UserPoolOperation.CUSTOM_SMS_SENDER,
  PostConfirmation: cognito.UserPoolOperation.POST_CONFIRMATION,
  PreAuthentication: cognito.UserPoolOperation.PRE_AUTHENTICATION,
  PostAuthentication: cognito.UserPoolOperation.POST_AUTHENTICATION,
  PreTokenGeneration: cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
  UserMigration: cognito.UserPoolOperation.USER_MIGRATION,
};

export class Poolside extends Construct {
  readonly userPool: cognito.UserPool;
  /** The app client the User API accepts: props.userPoolClient, or the `web` client this construct made. */
  readonly userPoolClient: cognito.IUserPoolClient;
  /** The client-credentials `machine` client (only with authDomainPrefix). */
  readonly machineClient?: cognito.UserPoolClient;
  readonly profileTable: dynamodb.ITable;
  /** The KMS key Cognito encrypts codes with (custom senders only). */
  readonly senderKey?: kms.Key;
  readonly triggers: Partial<Record<Trigger, TriggerFunction>> = {};
  /** The User API's function (POOLSIDE_TRIGGERS=none), unless userApi is false. */
  readonly api?: TriggerFunction;
  /** The User API (unless userApi is false). */
  readonly userApi?: apigwv2.HttpApi;
  /** The User API's base URL (GET <url>/me), the template's UserApiUrl. */
  readonly userApiUrl?: string;
  /** The dashboard (`<stack>-poolside`) and its console URL, the template's DashboardUrl. */
  readonly dashboard: cloudwatch.CfnDashboard;
  readonly dashboardUrl: string;

  private readonly props: PoolsideProps;
  private readonly env: Record<string, string>;
  private readonly alarmTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: PoolsideProps = {}) {
    super(scope, id);
    this.props = props;
    const usernameAttributes = props.usernameAttributes ?? ['email'];

    this.profileTable = props.profileTable ?? this.newProfileTable();
    this.env = {
      GOMAXPROCS: '1', // the Go runtime: one P, as the SAM template's Globals (README "Performance")
      POOLSIDE_PROFILE_STORE: `dynamodb://${this.profileTable.tableName}`,
      POOLSIDE_TENANT_DOMAINS: props.tenantDomains ?? '',
      POOLSIDE_DEFAULT_TENANT: props.defaultTenant ?? 'default',
    };
    const appUrl = props.appUrl ?? 'https://app.example.com/confirm';
    const senders = props.customSenders;
    if (senders) {
      this.senderKey = this.newSenderKey();
    }

    if (props.alarmTopicArn) {
      this.alarmTopic = sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
    }

    this.userPool = props.userPool ?? this.newUserPool(usernameAttributes);
    if (props.userPoolClient) {
      this.userPoolClient = props.userPoolClient;
    } else {
      this.userPoolClient = this.userPool.addClient('WebClient', {
        userPoolClientName: 'web',
        generateSecret: false,
        authFlows: { userSrp: true, userPassword: props.migration !== undefined },
        disableOAuth: true, // the template's web client has no OAuth flows (the L2 default: code, implicit)
        preventUserExistenceErrors: true,
        enableTokenRevocation: true,
        accessTokenValidity: Duration.hours(1),
        idTokenValidity: Duration.hours(1),
        refreshTokenValidity: Duration.days(30),
        readAttributes: new cognito.ClientAttributes().withStandardAttributes({
          email: true, emailVerified: true, givenName: true, familyName: true, fullname: true, locale: true, profilePicture: true,
        }),
        writeAttributes: new cognito.ClientAttributes().withStandardAttributes({
          email: true, givenName: true, familyName: true, fullname: true, locale: true, profilePicture: true,
        }),
      });
    }
    if (senders) {
      // The L2 pool takes its key only at creation; LambdaConfig.KMSKeyID
      // works on any pool of the app.
      (this.userPool.node.defaultChild as cognito.CfnUserPool).addPropertyOverride(
        'LambdaConfig.KMSKeyID', this.senderKey!.keyArn);
    }
    this.machineClient = this.newMachineClient();
    this.add('PreSignUp', 256, {
      description: 'poolside PreSignUp (who may sign up; federated linking)',
      poolActions: ['cognito-idp:ListUsers', 'cognito-idp:AdminLinkProviderForUser'],
    });
    // With the custom senders, CustomMessage stays (unattached), as in the
    // template: switching back is a pool update only.
    this.add('CustomMessage', 256, {
      description: 'poolside CustomMessage (localized email and SMS); needs no AWS access',
      env: {
        POOLSIDE_APP_URL: appUrl,
        POOLSIDE_EMAIL_SENDING: props.sesSourceArn ? 'DEVELOPER' : 'COGNITO_DEFAULT',
      },
      attach: !senders,
    });
    if (senders) {
      const keyArn = this.senderKey!.keyArn;
      const sesResources = [senders.sesSourceArn];
      if (senders.configurationSet) {
        sesResources.push(`arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:configuration-set/${senders.configurationSet}`);
      }
      this.add('CustomEmailSender', 512, {
        description: 'poolside CustomEmailSender (decrypts the code with the Encryption SDK, sends through SES v2)',
        env: {
          POOLSIDE_SENDER_KMS_KEY_ARN: keyArn,
          POOLSIDE_SENDER_FROM: senders.from,
          POOLSIDE_SENDER_CONFIGURATION_SET: senders.configurationSet ?? '',
          POOLSIDE_APP_URL: appUrl,
        },
        statements: [
          new iam.PolicyStatement({ sid: 'DecryptCodes', actions: ['kms:Decrypt'], resources: [keyArn] }),
          new iam.PolicyStatement({ sid: 'SendFromTheIdentity', actions: ['ses:SendEmail'], resources: sesResources }),
          new iam.PolicyStatement({ sid: 'DeliveryClaims', actions: ['dynamodb:PutItem'], resources: [this.profileTable.tableArn] }),
        ],
      });
      this.add('CustomSMSSender', 512, {
        description: 'poolside CustomSMSSender (decrypts the code with the Encryption SDK, sends through SNS)',
        env: { POOLSIDE_SENDER_KMS_KEY_ARN: keyArn },
        statements: [
          new iam.PolicyStatement({ sid: 'DecryptCodes', actions: ['kms:Decrypt'], resources: [keyArn] }),
          // SMS to a phone number has no resource ARN to name.
          new iam.PolicyStatement({ sid: 'SendSMS', actions: ['sns:Publish'], resources: ['*'] }),
          new iam.PolicyStatement({ sid: 'DeliveryClaims', actions: ['dynamodb:PutItem'], resources: [this.profileTable.tableArn] }),
        ],
      });
    }
    this.add('PostConfirmation', 256, {
      description: 'poolside PostConfirmation (creates the one profile; adds the user to USER)',
      env: { POOLSIDE_DEFAULT_GROUP: 'USER' },
      statements: [this.profileStatement(PROFILE_WRITE)],
      poolActions: PROFILE_COGNITO,
    });
    this.add('PostAuthentication', 256, {
      description: 'poolside PostAuthentication (lastLoginAt, best effort)',
      statements: [this.profileStatement(PROFILE_WRITE)],
      poolActions: PROFILE_COGNITO,
    });
    this.add('PreAuthentication', 256, {
      description: 'poolside PreAuthentication (kill switch at sign-in; tenant-bound app clients); one read',
      env: { POOLSIDE_PREAUTH_FAIL_CLOSED: props.preAuthFailClosed ? 'true' : 'false' },
      statements: [this.profileStatement(['dynamodb:GetItem'])],
    });
    this.add('PreTokenGeneration', 512, {
      description: 'poolside PreTokenGeneration (tenant and role claims from the profile; kill switch)',
      statements: [this.profileStatement(PROFILE_WRITE)],
      poolActions: PROFILE_COGNITO,
      lambdaVersion: props.preTokenGenerationVersion ?? cognito.LambdaVersion.V2_0,
    });
    const m = props.migration;
    if (m) {
      const cost = m.bcryptCost ?? 12;
      const memory = BCRYPT_MEMORY[cost];
      if (memory === undefined) {
        throw new Error(`Poolside: migration.bcryptCost must be 10–14, not ${cost}`);
      }
      const statements = [this.profileStatement(PROFILE_WRITE)];
      if (m.legacyTableArn) {
        statements.push(new iam.PolicyStatement({
          sid: 'LegacyTable', actions: ['dynamodb:GetItem', 'dynamodb:Query'],
          resources: [m.legacyTableArn, `${m.legacyTableArn}/index/*`],
        }));
      }
      if (m.legacyPoolArn) {
        statements.push(new iam.PolicyStatement({
          sid: 'LegacyPool', actions: ['cognito-idp:AdminInitiateAuth', 'cognito-idp:AdminGetUser', 'cognito-idp:ListUsers'],
          resources: [m.legacyPoolArn],
        }));
      }
      this.add('UserMigration', memory, {
        description: 'poolside UserMigration (just-in-time import from the legacy store); memory sized for bcrypt',
        env: {
          POOLSIDE_LEGACY_SOURCE: m.legacySource,
          POOLSIDE_MIGRATION_BCRYPT_COST: String(cost),
          POOLSIDE_MIGRATION_BREACHED: m.breachedPasswordCheck ?? '',
          POOLSIDE_USERNAME_ATTRIBUTES: usernameAttributes.join(','),
        },
        statements,
      });
    }

    if (props.userApi ?? true) {
      [this.api, this.userApi] = this.newUserApi();
      this.userApiUrl = this.userApi.apiEndpoint;
    }

    if (props.groups ?? true) {
      new cognito.CfnUserPoolGroup(this, 'UserGroup', {
        userPoolId: this.userPool.userPoolId, groupName: 'USER', precedence: 10,
        description: 'Every confirmed user (PostConfirmation adds them).',
      });
      new cognito.CfnUserPoolGroup(this, 'AdminGroup', {
        userPoolId: this.userPool.userPoolId, groupName: 'ADMIN', precedence: 1, description: 'Administrators.',
      });
    }

    this.dashboardUrl = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${Aws.STACK_NAME}-poolside`;
    this.dashboard = this.newDashboard();
  }

  /** The template's AdminResourceServer (always) and, with authDomainPrefix, the domain and the machine client. */
  private newMachineClient(): cognito.UserPoolClient | undefined {
    const server = this.userPool.addResourceServer('AdminResourceServer', {
      identifier: 'poolside',
      userPoolResourceServerName: 'poolside User API',
      scopes: [{ scopeName: 'admin', scopeDescription: "Manage users through the User API's machine routes." }],
    });
    const prefix = this.props.authDomainPrefix;
    if (!prefix) {
      return undefined;
    }
    this.userPool.addDomain('UserPoolDomain', { cognitoDomain: { domainPrefix: prefix } });
    const client = this.userPool.addClient('MachineClient', {
      userPoolClientName: 'machine',
      generateSecret: true,
      authFlows: {}, // ALLOW_REFRESH_TOKEN_AUTH only
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [cognito.OAuthScope.resourceServer(server, new cognito.ResourceServerScope({
          scopeName: 'admin', scopeDescription: "Manage users through the User API's machine routes.",
        }))],
      },
      accessTokenValidity: Duration.hours(1),
    });
    // The L2 client leaves ExplicitAuthFlows out here; the template names refresh only.
    (client.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    return client;
  }

  /**
   * The template's UserApi and ApiFunction: user routes behind the JWT
   * authorizer (issuer = the pool, audience = userPoolClient), machine routes
   * without one (poolside verifies their tokens itself).
   */
  private newUserApi(): [TriggerFunction, apigwv2.HttpApi] {
    const issuer = `https://cognito-idp.${Aws.REGION}.amazonaws.com/${this.userPool.userPoolId}`;
    const clientIds = [this.userPoolClient.userPoolClientId];
    if (this.machineClient) {
      clientIds.push(this.machineClient.userPoolClientId);
    }
    const env: Record<string, string> = {
      POOLSIDE_JWT_ISSUER: issuer,
      POOLSIDE_JWT_CLIENT_IDS: clientIds.join(','),
    };
    const statements = [
      this.profileStatement(PROFILE_WRITE),
      new iam.PolicyStatement({
        sid: 'UserPoolAdmin',
        actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminUserGlobalSignOut', 'cognito-idp:AdminDeleteUser'],
        resources: [this.userPool.userPoolArn],
      }),
    ];
    const keys = this.props.apiKeysSecretArn;
    if (keys) {
      env.POOLSIDE_API_KEYS = keys;
      statements.push(new iam.PolicyStatement({ sid: 'ApiKeyDigests', actions: ['secretsmanager:GetSecretValue'], resources: [keys] }));
    }
    const fn = this.add('Api', 256, {
      description: 'poolside User API (GET /me, machine routes); answers no trigger',
      timeout: 10,
      env,
      statements,
      attach: false,
    });
    const api = new apigwv2.HttpApi(this, 'UserApi', {
      corsPreflight: {
        allowOrigins: [this.props.portalOrigin ?? 'http://localhost:5173'],
        allowHeaders: ['authorization', 'content-type', 'if-match'],
        allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.PUT, apigwv2.CorsHttpMethod.PATCH,
          apigwv2.CorsHttpMethod.POST, apigwv2.CorsHttpMethod.DELETE],
        exposeHeaders: ['etag', 'location'],
        maxAge: Duration.seconds(600),
      },
      defaultAuthorizer: new HttpJwtAuthorizer('CognitoJwt', issuer, {
        identitySource: ['$request.header.Authorization'],
        jwtAudience: [this.userPoolClient.userPoolClientId],
      }),
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', fn.alias, {
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
    });
    for (const [method, routePath, jwt] of API_ROUTES) {
      api.addRoutes({
        path: routePath, methods: [method], integration,
        authorizer: jwt ? undefined : new apigwv2.HttpNoneAuthorizer(),
      });
    }
    return [fn, api];
  }

  /** Per function: any error, any throttle, a p99 duration near Cognito's 5 s (the template's *Alarm resources). */
  private newAlarms(name: PoolsideFunction, fn: lambda.Function): cloudwatch.Alarm[] {
    const alarms = [
      new cloudwatch.Alarm(this, `${name}ErrorsAlarm`, {
        alarmDescription: `poolside ${name} ${fn.functionName} returned an error (refusals are not errors)`,
        metric: fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(1) }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, `${name}ThrottlesAlarm`, {
        alarmDescription: `poolside ${name} ${fn.functionName} was throttled: Cognito retries, then fails the request`,
        metric: fn.metricThrottles({ statistic: 'Sum', period: Duration.minutes(1) }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, `${name}DurationAlarm`, {
        alarmDescription: `poolside ${name} ${fn.functionName} p99 duration is near Cognito's 5 s`,
        metric: fn.metricDuration({ statistic: 'p99', period: Duration.minutes(5) }),
        threshold: this.props.slowInvocationMs ?? 4000,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
    if (this.alarmTopic) {
      const action = new cwactions.SnsAction(this.alarmTopic);
      for (const a of alarms) {
        a.addAlarmAction(action);
        a.addOkAction(action);
      }
    }
    return alarms;
  }

  /** The template's Dashboard: Lambda's metrics of the functions every stack has; poolside's own metrics. */
  private newDashboard(): cloudwatch.CfnDashboard {
    const region = Aws.REGION;
    const lambdaWidget = (x: number, y: number, title: string, metric: string, stat: string) => ({
      type: 'metric', x, y, width: 8, height: 6,
      properties: {
        title, region, view: 'timeSeries', period: 300, stat,
        metrics: DASHBOARD_FUNCTIONS.flatMap((n) => {
          const f = n === 'Api' ? this.api : this.triggers[n];
          return f ? [['AWS/Lambda', metric, 'FunctionName', f.function.functionName, { stat, label: n }]] : [];
        }),
      },
    });
    const searchWidget = (x: number, y: number, title: string, stat: string, searches: string[]) => ({
      type: 'metric', x, y, width: 8, height: 6,
      properties: {
        title, region, view: 'timeSeries', period: 300, stat,
        metrics: searches.map((q, i) => [{ expression: `SEARCH('${q}', '${stat}', 300)`, id: `e${i}` }]),
      },
    });
    const body = {
      widgets: [
        lambdaWidget(0, 0, 'Invocations', 'Invocations', 'Sum'),
        lambdaWidget(8, 0, 'Errors', 'Errors', 'Sum'),
        lambdaWidget(16, 0, 'Duration p99 (ms)', 'Duration', 'p99'),
        lambdaWidget(0, 6, 'Throttles', 'Throttles', 'Sum'),
        searchWidget(8, 6, 'poolside invocations by trigger and outcome', 'Sum',
          ['{poolside,trigger,outcome} MetricName="Invocations"']),
        searchWidget(16, 6, 'poolside latency p99 by trigger (ms)', 'p99', ['{poolside,trigger} MetricName="Latency"']),
        searchWidget(0, 12, 'Refusals by code', 'Sum', ['{poolside,refusalCode} MetricName="Refusals"']),
        searchWidget(8, 12, 'Migrations by hash format and result', 'Sum',
          ['{poolside,hashFormat,migrationResult} MetricName="Migrations"']),
        searchWidget(16, 12, 'Breached passwords, links, message fallbacks, store retries', 'Sum', [
          '{poolside,trigger} MetricName="BreachedPasswords"', '{poolside,trigger} MetricName="Links"',
          '{poolside,trigger} MetricName="MessageFallbacks"', '{poolside,trigger} MetricName="StoreRetries"',
        ]),
      ],
    };
    return new cloudwatch.CfnDashboard(this, 'Dashboard', {
      dashboardName: `${Aws.STACK_NAME}-poolside`,
      dashboardBody: Stack.of(this).toJsonString(body),
    });
  }

  private profileStatement(actions: string[]): iam.PolicyStatement {
    return new iam.PolicyStatement({ sid: 'ProfileTable', actions, resources: [this.profileTable.tableArn] });
  }

  /** The function's own artifact: props.code's, or the asset <distDir>/<artifact>-arm64.zip. */
  private code(name: PoolsideFunction): lambda.Code {
    const zip = artifactZip(name);
    if (this.props.code) {
      return this.props.code(name, zip);
    }
    return lambda.Code.fromAsset(path.join(this.props.distDir ?? DEFAULT_DIST_DIR, zip));
  }

  /** One function (POOLSIDE_TRIGGERS = its trigger, "none" for Api), its log group, `live` alias and alarms. */
  private add(trigger: PoolsideFunction, memorySize: number, o: {
    description: string;
    env?: Record<string, string>;
    statements?: iam.PolicyStatement[];
    poolActions?: string[];
    lambdaVersion?: cognito.LambdaVersion;
    timeout?: number;
    /** Name the alias in the pool's LambdaConfig. Default true. */
    attach?: boolean;
  }): TriggerFunction {
    const logGroup = new logs.LogGroup(this, `${trigger}LogGroup`, {
      retention: this.props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const fn = new lambda.Function(this, `${trigger}Function`, {
      description: o.description,
      code: this.code(trigger),
      handler: 'bootstrap',
      runtime: lambda.Runtime.PROVIDED_AL2023,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(o.timeout ?? 5),
      memorySize,
      logGroup,
      tracing: lambda.Tracing.ACTIVE, // X-Ray, as the SAM template's Globals
      environment: { ...this.env, POOLSIDE_TRIGGERS: trigger === 'Api' ? 'none' : trigger, ...o.env },
    });
    for (const s of o.statements ?? []) {
      fn.addToRolePolicy(s);
    }
    if (o.poolActions) {
      // A separate policy: the function's own (default) policy cannot name the
      // pool, which itself names the function (a cycle).
      new iam.Policy(this, `${trigger}CognitoPolicy`, {
        policyName: 'cognito',
        roles: [fn.role!],
        statements: [new iam.PolicyStatement({ actions: o.poolActions, resources: [this.userPool.userPoolArn] })],
      });
    }
    const alias = new lambda.Alias(this, `${trigger}Alias`, { aliasName: 'live', version: fn.currentVersion });
    const made: TriggerFunction = { function: fn, alias, logGroup, alarms: this.newAlarms(trigger, fn) };
    if (trigger !== 'Api') {
      if (o.attach ?? true) {
        this.attach(trigger, alias, o.lambdaVersion);
      }
      this.triggers[trigger] = made;
    }
    return made;
  }

  /** Names the alias in the pool's LambdaConfig; Cognito may invoke it from this pool and account only. */
  private attach(trigger: Trigger, alias: lambda.Alias, lambdaVersion?: cognito.LambdaVersion): void {
    const op = OPERATIONS[trigger];
    const cfnPool = this.userPool.node.defaultChild as cognito.CfnUserPool;
    if (trigger === 'CustomEmailSender' || trigger === 'CustomSMSSender') {
      // addTrigger wants the key given at the pool's creation; set it directly.
      cfnPool.addPropertyOverride(`LambdaConfig.${trigger}`, { LambdaArn: alias.functionArn, LambdaVersion: 'V1_0' });
      alias.addPermission(`${trigger}Cognito`, {
        principal: new iam.ServicePrincipal('cognito-idp.amazonaws.com'),
        sourceArn: this.userPool.userPoolArn,
        sourceAccount: Stack.of(this).account,
      });
      return;
    }
    this.userPool.addTrigger(op, alias, lambdaVersion);
    // addTrigger's permission names the pool (SourceArn); add the account too.
    const name = op.operationName;
    const permission = this.userPool.node.tryFindChild(`${name.charAt(0).toUpperCase()}${name.slice(1)}Cognito`);
    if (!(permission instanceof lambda.CfnPermission)) {
      throw new Error(`Poolside: no invoke permission found for ${trigger}`);
    }
    permission.sourceAccount = Stack.of(this).account;
  }

  private newProfileTable(): dynamodb.Table {
    // Single-table layout of profilestore (doc.go): pk only, no index.
    return new dynamodb.Table(this, 'ProfileTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // The custom senders' delivery claims ("CLAIM#…") expire by themselves.
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private newSenderKey(): kms.Key {
    const key = new kms.Key(this, 'SenderKey', {
      description: 'poolside — Cognito encrypts the codes for the custom sender triggers with this key',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Cognito encrypts with the key, for user pools of this account and region
    // only (the pool names the key, so the key cannot name the pool).
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CognitoEncryptsCodes',
      principals: [new iam.ServicePrincipal('cognito-idp.amazonaws.com')],
      actions: ['kms:Encrypt'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cognito-idp:${Aws.REGION}:${Aws.ACCOUNT_ID}:userpool/*` },
      },
    }));
    return key;
  }

  private newUserPool(usernameAttributes: string[]): cognito.UserPool {
    const email = usernameAttributes.includes('email');
    const phone = usernameAttributes.includes('phone_number');
    const pool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: this.props.userPoolName ?? 'poolside',
      featurePlan: this.props.featurePlan ?? cognito.FeaturePlan.ESSENTIALS,
      signInAliases: { email, phone, username: !email && !phone },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: this.props.passwordPolicy ?? {
        minLength: 8, requireUppercase: true, requireLowercase: true, requireDigits: true, requireSymbols: false,
        tempPasswordValidity: Duration.days(7),
      },
      email: cognito.UserPoolEmail.withCognito(),
      userVerification: { emailStyle: cognito.VerificationEmailStyle.CODE },
      selfSignUpEnabled: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (this.props.sesSourceArn) {
      // The template's EmailConfiguration: the identity's ARN, nothing else.
      (pool.node.defaultChild as cognito.CfnUserPool).emailConfiguration = {
        emailSendingAccount: 'DEVELOPER', sourceArn: this.props.sesSourceArn,
      };
    }
    return pool;
  }
}
