//go:build !poolside.lambda && !poolside.fn

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/poolside-io/poolside/doctor"
)

// errFindings makes `poolside doctor` exit 1 after printing its report.
var errFindings = fmt.Errorf("the pool has configuration errors (see above)")

// cmdDoctor checks a pool against its functions' configuration, read-only.
// Command-line only: the Lambda artifacts (-tags poolside.lambda) leave it out.
func cmdDoctor(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	poolID := fs.String("pool-id", "", "the user pool to check (required)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	endpoint := fs.String("endpoint-url", "", "one endpoint for Cognito, Lambda, DynamoDB and IAM (local servers such as moto_server)")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	if *poolID == "" || fs.NArg() > 0 {
		return usagef("usage: poolside doctor --pool-id POOL_ID [--json] [--endpoint-url URL]")
	}
	awsCfg, err := loadAWS(ctx, *endpoint != "")
	if err != nil {
		return fmt.Errorf("AWS configuration: %w", err)
	}
	ep := func() *string {
		if *endpoint == "" {
			return nil
		}
		return aws.String(*endpoint)
	}
	d := doctor.Doctor{
		Cognito: cip.NewFromConfig(awsCfg, func(o *cip.Options) { o.BaseEndpoint = ep() }),
		Lambda:  lambda.NewFromConfig(awsCfg, func(o *lambda.Options) { o.BaseEndpoint = ep() }),
		Dynamo:  dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) { o.BaseEndpoint = ep() }),
		IAM:     iam.NewFromConfig(awsCfg, func(o *iam.Options) { o.BaseEndpoint = ep(); o.RetryMaxAttempts = 1 }),
	}
	r, err := d.Check(ctx, *poolID)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return err
		}
	} else {
		for _, f := range r.Findings {
			fmt.Fprintf(stdout, "%-7s %-20s %s: %s\n", f.Severity, f.Check, f.Subject, f.Message)
			if f.Fix != "" {
				fmt.Fprintf(stdout, "        fix: %s\n", f.Fix)
			}
		}
		fmt.Fprintf(stdout, "%d error(s), %d warning(s), %d ok\n", r.Count(doctor.Error), r.Count(doctor.Warning), r.Count(doctor.OK))
	}
	if !r.OK() {
		return errFindings
	}
	return nil
}
