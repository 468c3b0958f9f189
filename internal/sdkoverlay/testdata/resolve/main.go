// Command resolve prints what the v1 endpoint tables of the services the
// Lambda artifacts link resolve, for internal/sdkoverlay's test: built once
// against go.mod and once against the lazy tables, its output must match.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

type variant struct {
	FIPS, DualStack bool
}

func main() {
	regions := []string{"us-east-1", "eu-west-1", "ap-southeast-7", "mx-central-1", "il-central-1", "cn-north-1",
		"us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "eusc-de-east-1", "fips-us-east-1", "no-such-region-9", ""}
	variants := []variant{{}, {FIPS: true}, {DualStack: true}, {FIPS: true, DualStack: true}}
	type resolver func(region string, v variant) (aws.Endpoint, error)
	services := map[string]resolver{
		"cognito-idp": func(r string, v variant) (aws.Endpoint, error) {
			return cognitoidentityprovider.NewDefaultEndpointResolver().ResolveEndpoint(r, cognitoidentityprovider.EndpointResolverOptions{UseFIPSEndpoint: fips(v), UseDualStackEndpoint: dual(v)})
		},
		"dynamodb": func(r string, v variant) (aws.Endpoint, error) {
			return dynamodb.NewDefaultEndpointResolver().ResolveEndpoint(r, dynamodb.EndpointResolverOptions{UseFIPSEndpoint: fips(v), UseDualStackEndpoint: dual(v)})
		},
		"kms": func(r string, v variant) (aws.Endpoint, error) {
			return kms.NewDefaultEndpointResolver().ResolveEndpoint(r, kms.EndpointResolverOptions{UseFIPSEndpoint: fips(v), UseDualStackEndpoint: dual(v)})
		},
		"secretsmanager": func(r string, v variant) (aws.Endpoint, error) {
			return secretsmanager.NewDefaultEndpointResolver().ResolveEndpoint(r, secretsmanager.EndpointResolverOptions{UseFIPSEndpoint: fips(v), UseDualStackEndpoint: dual(v)})
		},
		"sesv2": func(r string, v variant) (aws.Endpoint, error) {
			return sesv2.NewDefaultEndpointResolver().ResolveEndpoint(r, sesv2.EndpointResolverOptions{UseFIPSEndpoint: fips(v), UseDualStackEndpoint: dual(v)})
		},
		"sns": func(r string, v variant) (aws.Endpoint, error) {
			return sns.NewDefaultEndpointResolver().ResolveEndpoint(r, sns.EndpointResolverOptions{UseFIPSEndpoint: fips(v), UseDualStackEndpoint: dual(v)})
		},
		"sts": func(r string, v variant) (aws.Endpoint, error) {
			return sts.NewDefaultEndpointResolver().ResolveEndpoint(r, sts.EndpointResolverOptions{UseFIPSEndpoint: fips(v), UseDualStackEndpoint: dual(v)})
		},
	}
	type row struct {
		Service, Region string
		Variant         variant
		Endpoint        aws.Endpoint
		Err             string
	}
	var rows []row
	for _, name := range []string{"cognito-idp", "dynamodb", "kms", "secretsmanager", "sesv2", "sns", "sts"} {
		for _, r := range regions {
			for _, v := range variants {
				e, err := services[name](r, v)
				x := row{Service: name, Region: r, Variant: v, Endpoint: e}
				if err != nil {
					x.Err = err.Error()
				}
				rows = append(rows, x)
			}
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(rows); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func fips(v variant) aws.FIPSEndpointState {
	if v.FIPS {
		return aws.FIPSEndpointStateEnabled
	}
	return aws.FIPSEndpointStateDisabled
}

func dual(v variant) aws.DualStackEndpointState {
	if v.DualStack {
		return aws.DualStackEndpointStateEnabled
	}
	return aws.DualStackEndpointStateDisabled
}
