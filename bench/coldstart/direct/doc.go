// Package direct is the floor P1 measures each function against besides
// hello: for every template function whose first event calls AWS, a bare
// aws-lambda-go handler (one main package per artifact, in the folder of the
// artifact's name) that makes the same AWS calls directly with the AWS SDK
// (and, for the senders, the AWS Encryption SDK), the way a team writes such a
// trigger by hand: clients built once in main from Lambda's environment, the
// event decoded into aws-lambda-go's types, items read and written with
// attributevalue. It checks nothing poolside checks and logs nothing, so the
// difference between a function and its direct handler is poolside's own
// work, and the difference between the direct handler and hello is what the
// libraries cost. bench/coldstart builds each with the artifacts' flags and
// library copies (dist/sdk/go.mod) and runs it with the function's
// environment and first event.
package direct
