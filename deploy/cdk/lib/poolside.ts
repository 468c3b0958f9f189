// Poolside: poolside's Cognito triggers as one AWS CDK construct, the same
// resources, settings and least-privilege IAM as deploy/template.yaml (SAM):
// one function per trigger (POOLSIDE_TRIGGERS), each behind a `live` alias the
// pool names, an invoke permission limited to the pool (SourceArn) and the
// account (SourceAccount), a log group each, and the profile table.
import * as path from 'path';
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
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

/** bcrypt cost -> UserMigration memory (MB), the template's BcryptMemory mapping. */
export const BCRYPT_MEMORY: Record<number, number> = { 10: 256, 11: 512, 12: 1024, 13: 1769, 14: 1769 };

/** The Lambda zip `make build` writes, from the repository root. */
export const DEFAULT_ZIP = path.join(__dirname, '..', '..', '..', '..', 'dist', 'poolside-arm64.zip');

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
  /** The pool's username attributes, for POOLSIDE_USERNAME_ATTRIBUTES of UserMigration. Default ["email"]. */
  readonly usernameAttributes?: string[];
  /** An existing profile table (single-table layout, key "pk" S). Omitted: a new one, retained on delete. */
  readonly profileTable?: dynamodb.ITable;
  /**
   * The code of each function: one lambda.Code for all, or one per trigger
   * ("Api" never asked). Default: the asset at dist/poolside-arm64.zip (make build).
   */
  readonly code?: lambda.Code | ((trigger: Trigger) => lambda.Code);
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
}

/** One trigger's function, its `live` alias and log group. */
export interface TriggerFunction {
  readonly function: lambda.Function;
  readonly alias: lambda.Alias;
  readonly logGroup: logs.LogGroup;
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
  /** The web app client (only when this construct made the pool). */
  readonly userPoolClient?: cognito.UserPoolClient;
  readonly profileTable: dynamodb.ITable;
  /** The KMS key Cognito encrypts codes with (custom senders only). */
  readonly senderKey?: kms.Key;
  readonly triggers: Partial<Record<Trigger, TriggerFunction>> = {};

  private readonly props: PoolsideProps;
  private readonly env: Record<string, string>;

  constructor(scope: Construct, id: string, props: PoolsideProps = {}) {
    super(scope, id);
    this.props = props;
    const usernameAttributes = props.usernameAttributes ?? ['email'];

    this.profileTable = props.profileTable ?? this.newProfileTable();
    this.env = {
      POOLSIDE_PROFILE_STORE: `dynamodb://${this.profileTable.tableName}`,
      POOLSIDE_TENANT_DOMAINS: props.tenantDomains ?? '',
      POOLSIDE_DEFAULT_TENANT: props.defaultTenant ?? 'default',
    };
    const appUrl = props.appUrl ?? 'https://app.example.com/confirm';
    const senders = props.customSenders;
    if (senders) {
      this.senderKey = this.newSenderKey();
    }

    if (props.userPool) {
      this.userPool = props.userPool;
    } else {
      this.userPool = this.newUserPool(usernameAttributes);
      this.userPoolClient = this.userPool.addClient('WebClient', {
        userPoolClientName: 'web',
        generateSecret: false,
        authFlows: { userSrp: true, userPassword: props.migration !== undefined },
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
    this.add('PreSignUp', 256, {
      description: 'poolside PreSignUp (who may sign up; federated linking)',
      poolActions: ['cognito-idp:ListUsers', 'cognito-idp:AdminLinkProviderForUser'],
    });
    if (!senders) {
      this.add('CustomMessage', 256, {
        description: 'poolside CustomMessage (localized email and SMS); needs no AWS access',
        env: {
          POOLSIDE_APP_URL: appUrl,
          POOLSIDE_EMAIL_SENDING: props.sesSourceArn ? 'DEVELOPER' : 'COGNITO_DEFAULT',
        },
      });
    } else {
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

    if (props.groups ?? true) {
      new cognito.CfnUserPoolGroup(this, 'UserGroup', {
        userPoolId: this.userPool.userPoolId, groupName: 'USER', precedence: 10,
        description: 'Every confirmed user (PostConfirmation adds them).',
      });
      new cognito.CfnUserPoolGroup(this, 'AdminGroup', {
        userPoolId: this.userPool.userPoolId, groupName: 'ADMIN', precedence: 1, description: 'Administrators.',
      });
    }
  }

  private profileStatement(actions: string[]): iam.PolicyStatement {
    return new iam.PolicyStatement({ sid: 'ProfileTable', actions, resources: [this.profileTable.tableArn] });
  }

  private code(trigger: Trigger): lambda.Code {
    const c = this.props.code;
    if (c === undefined) {
      return lambda.Code.fromAsset(DEFAULT_ZIP);
    }
    return typeof c === 'function' ? c(trigger) : c;
  }

  private add(trigger: Trigger, memorySize: number, o: {
    description: string;
    env?: Record<string, string>;
    statements?: iam.PolicyStatement[];
    poolActions?: string[];
    lambdaVersion?: cognito.LambdaVersion;
  }): void {
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
      timeout: Duration.seconds(5),
      memorySize,
      logGroup,
      tracing: lambda.Tracing.ACTIVE, // X-Ray, as the SAM template's Globals
      environment: { ...this.env, POOLSIDE_TRIGGERS: trigger, ...o.env },
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
    this.attach(trigger, alias, o.lambdaVersion);
    this.triggers[trigger] = { function: fn, alias, logGroup };
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
      passwordPolicy: {
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
