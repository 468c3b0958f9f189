//go:build !poolside.fn || poolside.fn.postauthentication || poolside.fn.postconfirmation || poolside.fn.presignup || poolside.fn.pretokengeneration

package main

// The triggers' Cognito adapter, in the builds whose triggers may call
// Cognito (the API function uses the SDK client itself).

import "github.com/poolside-io/poolside/cognitoadmin"

// cognitoAdmin is cognitoClient for the triggers' Cognito calls.
func (a *app) cognitoAdmin() (*cognitoadmin.Client, error) {
	c, err := a.cognitoClient()
	if err != nil {
		return nil, err
	}
	return cognitoadmin.New(c), nil
}
