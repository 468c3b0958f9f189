//go:build !poolside.fn || poolside.fn.api || poolside.fn.postauthentication || poolside.fn.postconfirmation || poolside.fn.presignup || poolside.fn.pretokengeneration

package main

// The Cognito client, in the builds whose triggers may call Cognito (an
// artifact that never does links no Cognito client: cold start, #17).

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// cognitoClient builds a Cognito client, honouring POOLSIDE_COGNITO_ENDPOINT.
func (a *app) cognitoClient() (*cognitoidentityprovider.Client, error) {
	awsCfg, err := a.awsOnce()
	if err != nil {
		return nil, fmt.Errorf("AWS configuration: %w", err)
	}
	return cognitoidentityprovider.NewFromConfig(awsCfg, func(o *cognitoidentityprovider.Options) {
		if a.cfg.CognitoEndpoint != "" {
			o.BaseEndpoint = aws.String(a.cfg.CognitoEndpoint)
		}
	}), nil
}
