package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/poolside-io/poolside/config"
	"github.com/poolside-io/poolside/triggers"
)

// CognitoAPI is what the doctor reads of the pool.
type CognitoAPI interface {
	DescribeUserPool(ctx context.Context, in *cip.DescribeUserPoolInput, opts ...func(*cip.Options)) (*cip.DescribeUserPoolOutput, error)
	ListUserPoolClients(ctx context.Context, in *cip.ListUserPoolClientsInput, opts ...func(*cip.Options)) (*cip.ListUserPoolClientsOutput, error)
	DescribeUserPoolClient(ctx context.Context, in *cip.DescribeUserPoolClientInput, opts ...func(*cip.Options)) (*cip.DescribeUserPoolClientOutput, error)
	GetGroup(ctx context.Context, in *cip.GetGroupInput, opts ...func(*cip.Options)) (*cip.GetGroupOutput, error)
}

// LambdaAPI is what the doctor reads of the attached functions.
type LambdaAPI interface {
	GetFunctionConfiguration(ctx context.Context, in *lambda.GetFunctionConfigurationInput, opts ...func(*lambda.Options)) (*lambda.GetFunctionConfigurationOutput, error)
	GetPolicy(ctx context.Context, in *lambda.GetPolicyInput, opts ...func(*lambda.Options)) (*lambda.GetPolicyOutput, error)
}

// DynamoAPI is what the doctor reads of the profile table.
type DynamoAPI interface {
	DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, opts ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
}

// IAMAPI simulates a function role's access to the profile table.
type IAMAPI interface {
	SimulatePrincipalPolicy(ctx context.Context, in *iam.SimulatePrincipalPolicyInput, opts ...func(*iam.Options)) (*iam.SimulatePrincipalPolicyOutput, error)
}

var (
	_ CognitoAPI = (*cip.Client)(nil)
	_ LambdaAPI  = (*lambda.Client)(nil)
	_ DynamoAPI  = (*dynamodb.Client)(nil)
	_ IAMAPI     = (*iam.Client)(nil)
)

// Doctor checks one pool. IAM may be nil (the role check is then skipped).
type Doctor struct {
	Cognito CognitoAPI
	Lambda  LambdaAPI
	Dynamo  DynamoAPI
	IAM     IAMAPI
}

// attachment is one trigger slot of the pool and the function behind it.
type attachment struct {
	trigger triggers.Trigger // poolside's name for the slot
	arn     string
	version string // event version where the slot has one (PreTokenGeneration, custom senders)
	fn      *function
}

// function is one attached Lambda function as the doctor sees it.
type function struct {
	arn       string
	name      string // function name with qualifier, for messages
	qualified bool
	role      string
	env       map[string]string
	cfg       config.Config
	cfgErr    error
	triggers  []triggers.Trigger // the slots it is attached to
}

// Check reads the pool and everything attached to it and reports every
// mismatch. An error is returned only when the pool itself cannot be read.
func (d Doctor) Check(ctx context.Context, poolID string) (Report, error) {
	r := Report{PoolID: poolID}
	out, err := d.Cognito.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		return r, fmt.Errorf("reading user pool %s: %w", poolID, err)
	}
	pool := out.UserPool
	atts := attachments(pool.LambdaConfig)
	if len(atts) == 0 {
		r.add("trigger-attached", Error, "pool", "no poolside trigger is attached to this pool",
			"attach the functions (deploy/template.yaml does it; for an existing pool see deploy/README.md)")
		r.sort()
		return r, nil
	}
	fns := d.readFunctions(ctx, &r, aws.ToString(pool.Arn), atts)
	for _, a := range atts {
		d.checkAttachment(&r, a)
	}
	checkShared(&r, fns)
	d.checkPreToken(&r, pool, atts)
	checkEmailSending(&r, pool, atts)
	checkUsernameShape(&r, pool, atts)
	d.checkClients(ctx, &r, poolID, atts)
	d.checkGroup(ctx, &r, poolID, fns)
	d.checkTable(ctx, &r, fns)
	r.sort()
	return r, nil
}

// attachments lists the pool's trigger slots poolside can answer.
func attachments(lc *ciptypes.LambdaConfigType) []attachment {
	if lc == nil {
		return nil
	}
	var out []attachment
	add := func(name, arn, version string) {
		if arn == "" {
			return
		}
		t, ok := triggers.ParseTrigger(name)
		if !ok {
			return // a trigger poolside does not answer (custom auth challenges…): not ours to judge
		}
		out = append(out, attachment{trigger: t, arn: arn, version: version})
	}
	add("PreSignUp", aws.ToString(lc.PreSignUp), "")
	add("CustomMessage", aws.ToString(lc.CustomMessage), "")
	add("PostConfirmation", aws.ToString(lc.PostConfirmation), "")
	add("PreAuthentication", aws.ToString(lc.PreAuthentication), "")
	add("PostAuthentication", aws.ToString(lc.PostAuthentication), "")
	add("UserMigration", aws.ToString(lc.UserMigration), "")
	if c := lc.PreTokenGenerationConfig; c != nil && aws.ToString(c.LambdaArn) != "" {
		add("PreTokenGeneration", aws.ToString(c.LambdaArn), string(c.LambdaVersion))
	} else {
		add("PreTokenGeneration", aws.ToString(lc.PreTokenGeneration), "V1_0")
	}
	if c := lc.CustomEmailSender; c != nil {
		add("CustomEmailSender", aws.ToString(c.LambdaArn), string(c.LambdaVersion))
	}
	if c := lc.CustomSMSSender; c != nil {
		add("CustomSMSSender", aws.ToString(c.LambdaArn), string(c.LambdaVersion))
	}
	return out
}

// readFunctions reads each attached function once (several slots may share one).
func (d Doctor) readFunctions(ctx context.Context, r *Report, poolARN string, atts []attachment) []*function {
	byARN := map[string]*function{}
	var fns []*function
	for i := range atts {
		a := &atts[i]
		if f, ok := byARN[a.arn]; ok {
			a.fn = f
			f.triggers = append(f.triggers, a.trigger)
			continue
		}
		f := &function{arn: a.arn, name: functionLabel(a.arn), qualified: qualified(a.arn), triggers: []triggers.Trigger{a.trigger}}
		byARN[a.arn] = f
		a.fn = f
		out, err := d.Lambda.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(a.arn)})
		if err != nil {
			r.add("function-reachable", Error, f.name, fmt.Sprintf("cannot read the function attached to %s: %v", a.trigger, shortErr(err)),
				"attach an existing function (or alias) ARN, and run the doctor with lambda:GetFunctionConfiguration")
			a.fn = nil
			continue
		}
		f.role = aws.ToString(out.Role)
		f.env = map[string]string{}
		if out.Environment != nil {
			maps.Copy(f.env, out.Environment.Variables)
		}
		f.cfg, f.cfgErr = config.FromEnv(config.MapEnv(outsideEnv(f.env)))
		fns = append(fns, f)
		d.checkInvokePermission(ctx, r, f, poolARN)
	}
	return fns
}

// outsideEnv drops what the doctor cannot check from outside the function:
// paths inside its file system.
func outsideEnv(env map[string]string) map[string]string {
	out := maps.Clone(env)
	delete(out, "POOLSIDE_TEMPLATES_DIR")
	delete(out, "POOLSIDE_SIGNUP_DISPOSABLE_FILE")
	if strings.HasPrefix(out["POOLSIDE_LEGACY_SOURCE"], "file:") {
		delete(out, "POOLSIDE_LEGACY_SOURCE")
	}
	return out
}

func (d Doctor) checkAttachment(r *Report, a attachment) {
	subject := string(a.trigger)
	if !qualified(a.arn) {
		r.add("trigger-qualified", Warning, subject,
			fmt.Sprintf("%s is attached to %s without a version or alias: every change to $LATEST reaches users at once", a.trigger, functionLabel(a.arn)),
			"publish a version, point the `live` alias at it and attach the alias ARN (the console cannot; use the CLI or the template)")
	}
	f := a.fn
	if f == nil {
		return
	}
	if f.cfgErr != nil {
		r.add("function-config", Error, f.name, "the function's configuration does not start: "+oneLine(f.cfgErr.Error()),
			"fix the function's POOLSIDE_* variables (README, Configuration)")
		return
	}
	if !f.cfg.Enabled(a.trigger) {
		r.add("function-answers", Error, subject,
			fmt.Sprintf("%s is attached to %s, whose POOLSIDE_TRIGGERS does not include it: every %s event fails", a.trigger, f.name, a.trigger),
			fmt.Sprintf("add %s to POOLSIDE_TRIGGERS of %s (or leave it empty: all)", a.trigger, f.name))
		return
	}
	r.add("trigger-attached", OK, subject, fmt.Sprintf("%s → %s", a.trigger, f.name), "")
}

// checkInvokePermission: Cognito can call the function only if its resource
// policy allows cognito-idp.amazonaws.com for this pool.
func (d Doctor) checkInvokePermission(ctx context.Context, r *Report, f *function, poolARN string) {
	out, err := d.Lambda.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String(f.arn)})
	var nf *lambdatypes.ResourceNotFoundException
	if errors.As(err, &nf) {
		r.add("invoke-permission", Error, f.name, "the function has no resource policy: Cognito cannot invoke it",
			"add a lambda:InvokeFunction permission for principal cognito-idp.amazonaws.com with SourceArn "+poolARN)
		return
	}
	if err != nil {
		r.add("invoke-permission", Warning, f.name, "could not read the function's resource policy: "+shortErr(err),
			"run the doctor with lambda:GetPolicy")
		return
	}
	if allowsCognito(aws.ToString(out.Policy), poolARN) {
		r.add("invoke-permission", OK, f.name, "Cognito may invoke it for this pool", "")
		return
	}
	r.add("invoke-permission", Error, f.name, "the function's resource policy does not let this pool invoke it",
		"add a lambda:InvokeFunction permission for principal cognito-idp.amazonaws.com with SourceArn "+poolARN)
}

// allowsCognito reads a Lambda resource policy document.
func allowsCognito(doc, poolARN string) bool {
	var p struct {
		Statement []struct {
			Effect    string
			Principal json.RawMessage
			Action    json.RawMessage
			Condition map[string]map[string]json.RawMessage
		}
	}
	if json.Unmarshal([]byte(doc), &p) != nil {
		return false
	}
	for _, s := range p.Statement {
		if s.Effect != "Allow" || !strings.Contains(string(s.Principal), "cognito-idp.amazonaws.com") {
			continue
		}
		if !strings.Contains(string(s.Action), "lambda:InvokeFunction") && !strings.Contains(string(s.Action), "lambda:*") {
			continue
		}
		src := ""
		for _, cond := range s.Condition {
			if v, ok := cond["AWS:SourceArn"]; ok {
				src = string(v)
			}
		}
		if src == "" || strings.Contains(src, poolARN) {
			return true
		}
	}
	return false
}

// checkShared: the functions of one deployment must agree on every setting
// they all read (tenants, groups, claims…); otherwise two triggers disagree
// about the same user.
func checkShared(r *Report, fns []*function) {
	names := map[string]bool{}
	for _, f := range fns {
		for k := range f.env {
			if strings.HasPrefix(k, "POOLSIDE_") {
				names[k] = true
			}
		}
	}
	disagree := 0
	for _, name := range slices.Sorted(maps.Keys(names)) {
		v, known := config.LookupVar(name)
		if !known {
			r.add("unknown-variable", Warning, name, name+" is set but poolside reads no such variable (a typo?)",
				"remove it or correct its name (README, Configuration)")
			continue
		}
		if v.PerFunction {
			continue
		}
		values := map[string][]string{} // value → functions
		for _, f := range fns {
			if !slices.ContainsFunc(f.triggers, v.Reads) {
				continue
			}
			values[f.env[name]] = append(values[f.env[name]], f.name)
		}
		if len(values) < 2 {
			continue
		}
		disagree++
		var groups []string
		for _, val := range slices.Sorted(maps.Keys(values)) {
			state := "set"
			if val == "" {
				state = "unset"
			}
			groups = append(groups, fmt.Sprintf("%s on %s", state, strings.Join(values[val], ", ")))
		}
		// Values are not printed: some variables hold secrets.
		r.add("shared-config", Error, name,
			fmt.Sprintf("the functions that read %s disagree (%d different values: %s)", name, len(values), strings.Join(groups, "; ")),
			"give every function the same value (SAM: Globals.Function.Environment; console: the one list in deploy/README.md)")
	}
	if disagree == 0 && len(fns) > 0 {
		r.add("shared-config", OK, "", fmt.Sprintf("%d function(s) agree on every shared setting", len(fns)), "")
	}
}

// checkPreToken: event version vs the pool's feature plan and vs what the
// configuration asks of the access token.
func (d Doctor) checkPreToken(r *Report, pool *ciptypes.UserPoolType, atts []attachment) {
	i := slices.IndexFunc(atts, func(a attachment) bool { return a.trigger == triggers.PreTokenGeneration })
	if i < 0 {
		return
	}
	a := atts[i]
	version := a.version
	if version == "" {
		version = "V1_0"
	}
	tier := string(pool.UserPoolTier)
	if tier == "" {
		tier = "ESSENTIALS"
	}
	if version != "V1_0" && tier == "LITE" {
		r.add("pretoken-version", Error, "PreTokenGeneration",
			fmt.Sprintf("event version %s needs the Essentials or Plus feature plan; the pool is on Lite", version),
			"set PreTokenGenerationConfig.LambdaVersion to V1_0 or move the pool to Essentials")
		return
	}
	if a.fn == nil || a.fn.cfgErr != nil {
		return
	}
	tok := a.fn.cfg.Tokens
	switch {
	case version == "V1_0" && (len(tok.Scopes) > 0 || len(tok.ClientTenants) > 0):
		r.add("pretoken-version", Error, "PreTokenGeneration",
			"the function adds access-token scopes or client-credentials claims, but event version V1_0 only reaches the ID token",
			"set PreTokenGenerationConfig.LambdaVersion to V2_0 (V3_0 for client-credentials clients)")
	case version != "V3_0" && len(tok.ClientTenants) > 0:
		r.add("pretoken-version", Error, "PreTokenGeneration",
			"POOLSIDE_CLIENT_TENANTS is set, but Cognito sends client-credentials events only with event version V3_0",
			"set PreTokenGenerationConfig.LambdaVersion to V3_0")
	default:
		r.add("pretoken-version", OK, "PreTokenGeneration", fmt.Sprintf("event version %s on the %s plan", version, tier), "")
	}
}

// checkEmailSending: Cognito rejects email fields from CustomMessage unless
// the pool sends through SES (DEVELOPER).
func checkEmailSending(r *Report, pool *ciptypes.UserPoolType, atts []attachment) {
	i := slices.IndexFunc(atts, func(a attachment) bool { return a.trigger == triggers.CustomMessage })
	if i < 0 || atts[i].fn == nil || atts[i].fn.cfgErr != nil {
		return
	}
	account := string(ciptypes.EmailSendingAccountTypeCognitoDefault)
	if pool.EmailConfiguration != nil && pool.EmailConfiguration.EmailSendingAccount != "" {
		account = string(pool.EmailConfiguration.EmailSendingAccount)
	}
	configured := atts[i].fn.cfg.Messages.EmailSending
	if configured == account {
		r.add("email-sending", OK, "CustomMessage", "POOLSIDE_EMAIL_SENDING matches the pool ("+account+")", "")
		return
	}
	msg := fmt.Sprintf("the pool sends email with %s, the function is configured for %s", account, configured)
	if account == string(ciptypes.EmailSendingAccountTypeCognitoDefault) {
		msg += ": Cognito rejects its email fields (InvalidLambdaResponseException) and sign-ups fail"
	} else {
		msg += ": users get Cognito's default email instead of yours"
	}
	r.add("email-sending", Error, "CustomMessage", msg, "set POOLSIDE_EMAIL_SENDING="+account+" on every function")
}

// checkUsernameShape: UserMigration's answers depend on how the pool signs
// users in (UsernameAttributes / AliasAttributes).
func checkUsernameShape(r *Report, pool *ciptypes.UserPoolType, atts []attachment) {
	i := slices.IndexFunc(atts, func(a attachment) bool { return a.trigger == triggers.UserMigration })
	if i < 0 || atts[i].fn == nil {
		return
	}
	env := atts[i].fn.env
	want := func(attrs []string) string { s := slices.Clone(attrs); slices.Sort(s); return strings.Join(s, ",") }
	poolUsername := want(enumStrings(pool.UsernameAttributes))
	poolAlias := want(enumStrings(pool.AliasAttributes))
	gotUsername := want(splitList(env["POOLSIDE_USERNAME_ATTRIBUTES"]))
	if gotUsername == "" && strings.EqualFold(env["POOLSIDE_MIGRATION_EMAIL_IS_USERNAME"], "true") {
		gotUsername = "email"
	}
	gotAlias := want(splitList(env["POOLSIDE_ALIAS_ATTRIBUTES"]))
	ok := true
	if gotUsername != poolUsername {
		ok = false
		r.add("username-shape", Error, "POOLSIDE_USERNAME_ATTRIBUTES",
			fmt.Sprintf("the pool's UsernameAttributes are %q, the migration function has %q: migrated users get a username the pool refuses", orNone(poolUsername), orNone(gotUsername)),
			fmt.Sprintf("set POOLSIDE_USERNAME_ATTRIBUTES=%s", orDash(poolUsername)))
	}
	if gotAlias != poolAlias {
		ok = false
		r.add("username-shape", Error, "POOLSIDE_ALIAS_ATTRIBUTES",
			fmt.Sprintf("the pool's AliasAttributes are %q, the migration function has %q: a sign-in with an alias migrates under the wrong username", orNone(poolAlias), orNone(gotAlias)),
			fmt.Sprintf("set POOLSIDE_ALIAS_ATTRIBUTES=%s", orDash(poolAlias)))
	}
	if ok {
		r.add("username-shape", OK, "UserMigration", "the migration answers fit the pool's sign-in attributes", "")
	}
}

// checkClients: UserMigration sees a password only from USER_PASSWORD_AUTH
// (or ADMIN_USER_PASSWORD_AUTH); SRP sign-ins of legacy users fail.
func (d Doctor) checkClients(ctx context.Context, r *Report, poolID string, atts []attachment) {
	if !slices.ContainsFunc(atts, func(a attachment) bool { return a.trigger == triggers.UserMigration }) {
		return
	}
	var withPassword, total int
	p := cip.NewListUserPoolClientsPaginator(d.Cognito, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(poolID), MaxResults: aws.Int32(60)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			r.add("client-password-auth", Warning, "clients", "could not list the app clients: "+shortErr(err), "run the doctor with cognito-idp:ListUserPoolClients")
			return
		}
		for _, c := range page.UserPoolClients {
			out, err := d.Cognito.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: c.ClientId})
			if err != nil {
				r.add("client-password-auth", Warning, aws.ToString(c.ClientName), "could not read the app client: "+shortErr(err), "")
				continue
			}
			total++
			flows := enumStrings(out.UserPoolClient.ExplicitAuthFlows)
			if slices.Contains(flows, "ALLOW_USER_PASSWORD_AUTH") || slices.Contains(flows, "ALLOW_ADMIN_USER_PASSWORD_AUTH") ||
				slices.Contains(flows, "USER_PASSWORD_AUTH") || slices.Contains(flows, "ADMIN_NO_SRP_AUTH") {
				withPassword++
				continue
			}
			r.add("client-password-auth", Warning, clientLabel(out.UserPoolClient),
				"migration is on but this client allows neither USER_PASSWORD_AUTH nor ADMIN_USER_PASSWORD_AUTH: its legacy users cannot migrate (SRP hides the password)",
				"add ALLOW_USER_PASSWORD_AUTH to the client's ExplicitAuthFlows while migration runs (README, SRP clients)")
		}
	}
	switch {
	case total > 0 && withPassword == 0:
		r.add("client-password-auth", Error, "clients", "migration is on but no app client sends the password: UserMigration can never succeed",
			"add ALLOW_USER_PASSWORD_AUTH to the app client your sign-in page uses")
	case withPassword > 0:
		r.add("client-password-auth", OK, "clients", fmt.Sprintf("%d of %d app client(s) can migrate legacy users", withPassword, total), "")
	}
}

// checkGroup: the default group must exist before PostConfirmation adds users to it.
func (d Doctor) checkGroup(ctx context.Context, r *Report, poolID string, fns []*function) {
	group := ""
	for _, f := range fns {
		if f.cfgErr == nil && slices.Contains(f.triggers, triggers.PostConfirmation) && f.cfg.Profiles.AddToGroup {
			group = f.cfg.Profiles.DefaultGroup
		}
	}
	if group == "" {
		return
	}
	_, err := d.Cognito.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String(group)})
	var nf *ciptypes.ResourceNotFoundException
	switch {
	case errors.As(err, &nf):
		r.add("default-group", Error, group, fmt.Sprintf("POOLSIDE_DEFAULT_GROUP is %q but the pool has no such group: every confirmation fails", group),
			fmt.Sprintf("create it: aws cognito-idp create-group --user-pool-id %s --group-name %s", poolID, group))
	case err != nil:
		r.add("default-group", Warning, group, "could not read the group: "+shortErr(err), "run the doctor with cognito-idp:GetGroup")
	default:
		r.add("default-group", OK, group, "the default group exists", "")
	}
}

// tableActions are what the profile store calls (profilestore/dynamo.go).
var tableActions = []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:TransactWriteItems", "dynamodb:Query"}

// checkTable: the profile table exists and the functions' roles can reach it.
func (d Doctor) checkTable(ctx context.Context, r *Report, fns []*function) {
	tables := map[string][]*function{}
	for _, f := range fns {
		if f.cfgErr != nil || !slices.ContainsFunc(f.triggers, usesProfiles) {
			continue
		}
		table, err := config.TableName(f.cfg.ProfileStore)
		if err != nil {
			continue // reported by function-config
		}
		if table == "" {
			r.add("profile-table", Error, f.name, "POOLSIDE_PROFILE_STORE is memory: profiles vanish with every cold start",
				"set POOLSIDE_PROFILE_STORE=dynamodb://TABLE on every function")
			continue
		}
		tables[table] = append(tables[table], f)
	}
	for _, table := range slices.Sorted(maps.Keys(tables)) {
		out, err := d.Dynamo.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
		var nf *ddbtypes.ResourceNotFoundException
		switch {
		case errors.As(err, &nf):
			r.add("profile-table", Error, table, "the profile table does not exist", "deploy it (deploy/template.yaml) or run: poolside table create")
			continue
		case err != nil:
			r.add("profile-table", Warning, table, "could not read the profile table: "+shortErr(err), "run the doctor with dynamodb:DescribeTable")
			continue
		}
		if out.Table.TableStatus != ddbtypes.TableStatusActive {
			r.add("profile-table", Warning, table, "the profile table is "+string(out.Table.TableStatus), "wait for ACTIVE")
		} else {
			r.add("profile-table", OK, table, "the profile table exists", "")
		}
		d.checkRoles(ctx, r, aws.ToString(out.Table.TableArn), tables[table])
	}
}

func usesProfiles(t triggers.Trigger) bool {
	switch t {
	case triggers.PreSignUp, triggers.CustomMessage:
		return false
	}
	if t == "CustomEmailSender" || t == "CustomSMSSender" {
		return false
	}
	return true
}

// checkRoles simulates each function role's access to the table.
func (d Doctor) checkRoles(ctx context.Context, r *Report, tableARN string, fns []*function) {
	if d.IAM == nil || tableARN == "" {
		return
	}
	for _, f := range fns {
		if f.role == "" {
			continue
		}
		out, err := d.IAM.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
			PolicySourceArn: aws.String(f.role), ActionNames: tableActions, ResourceArns: []string{tableARN},
		})
		if err != nil {
			r.add("role-access", Warning, f.name, "not checked: iam:SimulatePrincipalPolicy is not available to the doctor ("+shortErr(err)+")",
				"run the doctor with iam:SimulatePrincipalPolicy to check the role")
			continue
		}
		var denied []string
		for _, e := range out.EvaluationResults {
			if e.EvalDecision != iamtypes.PolicyEvaluationDecisionTypeAllowed {
				denied = append(denied, aws.ToString(e.EvalActionName))
			}
		}
		if len(denied) > 0 {
			r.add("role-access", Error, f.name, "the function's role may not "+strings.Join(denied, ", ")+" on the profile table",
				"grant them on "+tableARN+" (deploy/template.yaml's ProfileTablePolicy)")
			continue
		}
		r.add("role-access", OK, f.name, "the role reaches the profile table", "")
	}
}

func qualified(arn string) bool {
	// arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
	parts := strings.Split(arn, ":")
	return len(parts) >= 8 && parts[7] != "" && parts[7] != "$LATEST"
}

func functionLabel(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) >= 7 {
		return strings.Join(parts[6:], ":")
	}
	return arn
}

func clientLabel(c *ciptypes.UserPoolClientType) string {
	if n := aws.ToString(c.ClientName); n != "" {
		return n + " (" + aws.ToString(c.ClientId) + ")"
	}
	return aws.ToString(c.ClientId)
}

func enumStrings[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" && s != "-" {
			out = append(out, s)
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "- (or unset)"
	}
	return s
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// shortErr keeps the service's message, not the SDK's request ids.
func shortErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ", api error "); i >= 0 {
		return s[i+len(", api error "):]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
