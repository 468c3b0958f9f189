package doctor

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/profilestore"

	"github.com/poolside-io/poolside/internal/testenv"
)

// motoEndpoint returns the server make test starts (moto_server); skipped
// without one, failed under CI=true.
func motoEndpoint(t *testing.T) string {
	t.Helper()
	return testenv.Server(t, "POOLSIDE_DYNAMODB_ENDPOINT")
}

type clients struct {
	cog *cip.Client
	lam *lambda.Client
	ddb *dynamodb.Client
	iam *iam.Client
}

func newClients(ep string) clients {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}
	return clients{
		cog: cip.NewFromConfig(cfg, func(o *cip.Options) { o.BaseEndpoint = aws.String(ep) }),
		lam: lambda.NewFromConfig(cfg, func(o *lambda.Options) { o.BaseEndpoint = aws.String(ep) }),
		ddb: dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(ep) }),
		iam: iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(ep); o.RetryMaxAttempts = 1 }),
	}
}

// pool describes one deployment to plant in moto; the zero value plus
// defaults() is a correct one.
type pool struct {
	env           map[string]map[string]string // function suffix → extra/overriding variables
	emailSending  ciptypes.EmailSendingAccountType
	usernameAttrs []ciptypes.UsernameAttributeType
	authFlows     []ciptypes.ExplicitAuthFlowsType
	createGroup   bool
	createTable   bool
	qualify       bool
	permission    bool
}

func correct() pool {
	return pool{
		env:           map[string]map[string]string{},
		emailSending:  ciptypes.EmailSendingAccountTypeDeveloper,
		usernameAttrs: []ciptypes.UsernameAttributeType{ciptypes.UsernameAttributeTypeEmail},
		authFlows:     []ciptypes.ExplicitAuthFlowsType{ciptypes.ExplicitAuthFlowsTypeAllowUserPasswordAuth, ciptypes.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		createGroup:   true, createTable: true, qualify: true, permission: true,
	}
}

var fnTriggers = map[string]string{
	"presignup": "PreSignUp", "postconfirmation": "PostConfirmation", "migration": "UserMigration",
	"pretoken": "PreTokenGeneration", "message": "CustomMessage", "postauth": "PostAuthentication",
}

// plant creates p in moto and returns the pool id.
func plant(t *testing.T, c clients, p pool) string {
	t.Helper()
	ctx := context.Background()
	id := fmt.Sprintf("%d", time.Now().UnixNano())
	table := "doctor-profiles-" + id
	role, err := c.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("doctor-" + id),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	require.NoError(t, err)
	if p.createTable {
		_, err := profilestore.CreateTable(ctx, c.ddb, table)
		require.NoError(t, err)
	}
	shared := map[string]string{
		"POOLSIDE_PROFILE_STORE": "dynamodb://" + table, "POOLSIDE_TENANT_DOMAINS": "acme.example=acme",
		"POOLSIDE_EMAIL_SENDING": "DEVELOPER", "POOLSIDE_USERNAME_ATTRIBUTES": "email", "POOLSIDE_ADD_TO_GROUP": "true",
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("bootstrap")
	_, _ = w.Write([]byte("#!/bin/sh\n"))
	require.NoError(t, zw.Close())
	arns := map[string]string{}
	for suffix, trig := range fnTriggers {
		vars := map[string]string{"POOLSIDE_TRIGGERS": trig}
		for k, v := range shared {
			vars[k] = v
		}
		for k, v := range p.env[suffix] {
			vars[k] = v
		}
		name := "doctor-" + id + "-" + suffix
		out, err := c.lam.CreateFunction(ctx, &lambda.CreateFunctionInput{
			FunctionName: aws.String(name), Runtime: lambdatypes.RuntimeProvidedal2023, Handler: aws.String("bootstrap"),
			Role: role.Role.Arn, Code: &lambdatypes.FunctionCode{ZipFile: buf.Bytes()},
			Environment: &lambdatypes.Environment{Variables: vars},
		})
		require.NoError(t, err)
		arn := aws.ToString(out.FunctionArn)
		if p.qualify {
			v, err := c.lam.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String(name)})
			require.NoError(t, err)
			a, err := c.lam.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("live"), FunctionVersion: v.Version})
			require.NoError(t, err)
			arn = aws.ToString(a.AliasArn)
		}
		arns[suffix] = arn
	}
	out, err := c.cog.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName: aws.String("doctor-" + id), UsernameAttributes: p.usernameAttrs,
		EmailConfiguration: &ciptypes.EmailConfigurationType{EmailSendingAccount: p.emailSending},
		LambdaConfig: &ciptypes.LambdaConfigType{
			PreSignUp: aws.String(arns["presignup"]), PostConfirmation: aws.String(arns["postconfirmation"]),
			UserMigration: aws.String(arns["migration"]), CustomMessage: aws.String(arns["message"]),
			PostAuthentication: aws.String(arns["postauth"]),
			PreTokenGenerationConfig: &ciptypes.PreTokenGenerationVersionConfigType{
				LambdaArn: aws.String(arns["pretoken"]), LambdaVersion: ciptypes.PreTokenGenerationLambdaVersionTypeV20},
		},
	})
	require.NoError(t, err)
	poolID := aws.ToString(out.UserPool.Id)
	if p.permission {
		for suffix, arn := range arns {
			_, err := c.lam.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String(arn),
				StatementId: aws.String("cognito-" + suffix), Action: aws.String("lambda:InvokeFunction"),
				Principal: aws.String("cognito-idp.amazonaws.com"), SourceArn: out.UserPool.Arn})
			require.NoError(t, err)
		}
	}
	_, err = c.cog.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID),
		ClientName: aws.String("web"), ExplicitAuthFlows: p.authFlows})
	require.NoError(t, err)
	if p.createGroup {
		_, err := c.cog.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("USER")})
		require.NoError(t, err)
	}
	return poolID
}

func errorsOf(r Report) []string {
	var out []string
	for _, f := range r.Findings {
		if f.Severity == Error {
			out = append(out, f.Check+" "+f.Subject+": "+f.Message)
		}
	}
	return out
}

func TestDoctorAgainstMoto(t *testing.T) {
	c := newClients(motoEndpoint(t))
	d := Doctor{Cognito: c.cog, Lambda: c.lam, Dynamo: c.ddb, IAM: c.iam}
	ctx := context.Background()

	t.Run("a correct pool passes", func(t *testing.T) {
		r, err := d.Check(ctx, plant(t, c, correct()))
		require.NoError(t, err)
		require.True(t, r.OK(), "errors: %v", errorsOf(r))
		require.Equal(t, 0, r.Count(Warning)-countCheck(r, "role-access", Warning), "unexpected warnings: %+v", r.Findings)
		require.Positive(t, r.Count(OK))
	})

	cases := map[string]struct {
		plant func(*pool)
		check string
		sev   Severity
	}{
		"function does not answer its slot": {func(p *pool) { p.env["pretoken"] = map[string]string{"POOLSIDE_TRIGGERS": "PostAuthentication"} }, "function-answers", Error},
		"tenant map on one function only":   {func(p *pool) { p.env["postauth"] = map[string]string{"POOLSIDE_TENANT_DOMAINS": ""} }, "shared-config", Error},
		"unknown variable":                  {func(p *pool) { p.env["message"] = map[string]string{"POOLSIDE_TENANT_DOMAIN": "x=y"} }, "unknown-variable", Warning},
		"bad configuration":                 {func(p *pool) { p.env["presignup"] = map[string]string{"POOLSIDE_BUDGET": "soon"} }, "function-config", Error},
		"email sending account":             {func(p *pool) { p.emailSending = ciptypes.EmailSendingAccountTypeCognitoDefault }, "email-sending", Error},
		"username attributes":               {func(p *pool) { p.usernameAttrs = nil }, "username-shape", Error},
		"no client sends the password": {func(p *pool) {
			p.authFlows = []ciptypes.ExplicitAuthFlowsType{ciptypes.ExplicitAuthFlowsTypeAllowUserSrpAuth}
		}, "client-password-auth", Error},
		"default group missing": {func(p *pool) { p.createGroup = false }, "default-group", Error},
		"profile table missing": {func(p *pool) { p.createTable = false }, "profile-table", Error},
		"memory profile store": {func(p *pool) {
			p.env["postconfirmation"] = map[string]string{"POOLSIDE_PROFILE_STORE": "memory"}
		}, "profile-table", Error},
		"unqualified ARNs":     {func(p *pool) { p.qualify = false }, "trigger-qualified", Warning},
		"no invoke permission": {func(p *pool) { p.permission = false }, "invoke-permission", Error},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := correct()
			tc.plant(&p)
			r, err := d.Check(ctx, plant(t, c, p))
			require.NoError(t, err)
			require.Positive(t, countCheck(r, tc.check, tc.sev), "want a %s %s finding; got %+v", tc.sev, tc.check, r.Findings)
			require.Equal(t, tc.sev != Error, r.OK())
			for _, f := range r.Findings {
				if f.Severity != OK {
					require.NotEmpty(t, f.Fix, "finding without a fix: %+v", f)
				}
				require.False(t, strings.Contains(f.Message, "acme.example=acme"), "a value was printed: %s", f.Message)
			}
		})
	}
}

func countCheck(r Report, check string, sev Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Check == check && f.Severity == sev {
			n++
		}
	}
	return n
}
