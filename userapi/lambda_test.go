package userapi

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLambdaV2(t *testing.T) {
	e := newEnv(t)
	ev := func(method, path, stage string, claims map[string]string, headers map[string]string, body string) events.APIGatewayV2HTTPRequest {
		r := events.APIGatewayV2HTTPRequest{Version: "2.0", RouteKey: method + " " + path, RawPath: path, Headers: headers, Body: body}
		r.RequestContext.HTTP.Method = method
		r.RequestContext.Stage = stage
		if claims != nil {
			r.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
				JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
			}
		}
		return r
	}
	authorized := map[string]string{"sub": userSub, "token_use": "id", "cognito:username": userSub, "aud": webClient}

	res := invokeV2(t, e, ev("GET", "/me", "$default", authorized, nil, ""))
	assert.Equal(t, 200, res.StatusCode, res.Body)
	assert.Equal(t, `"1"`, res.Headers["Etag"])
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.Body), &doc))
	assert.Equal(t, "acme", doc["tenantId"])

	res = invokeV2(t, e, ev("GET", "/prod/me", "prod", authorized, nil, ""))
	assert.Equal(t, 200, res.StatusCode, "a named stage is stripped from the path")

	res = invokeV2(t, e, ev("GET", "/me", "$default", nil, nil, ""))
	assert.Equal(t, 401, res.StatusCode, "no authorizer claims and no token")
	assert.Equal(t, "application/problem+json", res.Headers["Content-Type"])

	res = invokeV2(t, e, ev("GET", "/users/"+userSub, "$default", authorized, nil, ""))
	assert.Equal(t, 403, res.StatusCode, "a user's ID token is no machine credential")

	machine := map[string]string{"sub": adminClient, "token_use": "access", "client_id": adminClient, "scope": AdminScope}
	res = invokeV2(t, e, ev("PATCH", "/users/"+userSub+"/data", "$default", machine, map[string]string{"if-match": `"1"`}, `{"k":"v"}`))
	assert.Equal(t, 200, res.StatusCode, res.Body)

	res = invokeV2(t, e, ev("GET", "/users/"+userSub, "$default", nil, map[string]string{"x-api-key": apiKey}, ""))
	assert.Equal(t, 200, res.StatusCode, "routes without an authorizer take API keys")

	res = invokeV2(t, e, ev("GET", "/me", "$default", map[string]string{"sub": userSub, "token_use": "refresh"}, nil, ""))
	assert.Equal(t, 401, res.StatusCode)
}

func invokeV2(t *testing.T, e *env, ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	payload, err := json.Marshal(ev)
	require.NoError(t, err)
	require.True(t, IsAPIGatewayEvent(payload))
	out, err := lambdaHandler(e).Invoke(context.Background(), payload)
	require.NoError(t, err)
	var res events.APIGatewayV2HTTPResponse
	require.NoError(t, json.Unmarshal(out, &res))
	return res
}

func TestLambdaV1(t *testing.T) {
	e := newEnv(t)
	ev := events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/users", Resource: "/users",
		QueryStringParameters: map[string]string{"email": "ana@acme.example"},
		Headers:               map[string]string{"x-api-key": apiKey}}
	payload, err := json.Marshal(ev)
	require.NoError(t, err)
	require.True(t, IsAPIGatewayEvent(payload))
	out, err := lambdaHandler(e).Invoke(context.Background(), payload)
	require.NoError(t, err)
	var res events.APIGatewayProxyResponse
	require.NoError(t, json.Unmarshal(out, &res))
	assert.Equal(t, 200, res.StatusCode, res.Body)
	assert.Contains(t, res.Body, userSub)

	// A Cognito user-pool authorizer's claims.
	ev = events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/me", Resource: "/me"}
	ev.RequestContext.Authorizer = map[string]any{"claims": map[string]any{"sub": userSub, "token_use": "id", "cognito:username": userSub}}
	payload, err = json.Marshal(ev)
	require.NoError(t, err)
	out, err = lambdaHandler(e).Invoke(context.Background(), payload)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(out, &res))
	assert.Equal(t, 200, res.StatusCode, res.Body)
}

func TestIsAPIGatewayEvent(t *testing.T) {
	cases := map[string]struct {
		payload string
		want    bool
	}{
		"http api":   {`{"version":"2.0","routeKey":"GET /me","requestContext":{}}`, true},
		"rest api":   {`{"httpMethod":"GET","path":"/me","requestContext":{}}`, true},
		"trigger":    {`{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{}}`, false},
		"no context": {`{"httpMethod":"GET"}`, false},
		"not json":   {`nope`, false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) { assert.Equal(t, c.want, IsAPIGatewayEvent([]byte(c.payload))) })
	}
}

// lambdaHandler is the adapter as lambda.Start receives it.
func lambdaHandler(e *env) lambda.Handler { return Lambda{Handler: e.h} }
