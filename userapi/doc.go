// Package userapi is the User API: a user's own profile behind Cognito
// tokens (GET /me, PUT|PATCH /me/data, PATCH /me/preferences) and the machine
// routes that manage users (POST /users, GET /users/{id}, GET /users?email=…|
// ?handle=…, PATCH /users/{id}, PUT|PATCH /users/{id}/data, POST|DELETE
// /users/{id}/badges/{name}, DELETE /users/{id}, POST /tokens/verify).
//
// API.Handler serves it over net/http (poolside serve mounts it under /api);
// Lambda answers API Gateway HTTP API (payload 2.0) and REST API (v1) proxy
// events with the same handler. Errors are RFC 9457 problem documents
// (application/problem+json); profiles carry an ETag (their version) and
// writes honour If-Match (412 when the profile changed).
//
// Authentication: in AWS the gateway's JWT authorizer has validated the token
// and its claims arrive in the event; otherwise Verifier checks the Bearer
// token itself with the rules of awslabs/aws-jwt-verify (signature by the
// pool's JWKS, iss, exp/nbf with leeway, token_use, aud or client_id).
// Machine routes need an access token with scope poolside/admin (client
// credentials) or an x-api-key whose SHA-256 is configured.
//
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
// and https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html.
package userapi
