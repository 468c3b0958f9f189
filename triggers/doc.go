// Package triggers answers the Amazon Cognito user-pool Lambda triggers: the
// Router decodes an event, dispatches it on its triggerSource to the handler
// registered for it, and returns the whole event with the response filled in.
//
// Decoding is tolerant of what really arrives (string or numeric versions,
// emulator events with absent maps, AWS-docs samples with boolean attribute
// values, [] for an empty response, an array preferredRole). Responses are
// encoded here, not by aws-lambda-go, whose zero values Cognito rejects (see
// events.go). Errors reach the end user as
// "<Trigger> failed with error <text>.": a handler refuses with a Refusal
// naming a messages.Code, and the router writes that code's text in the
// user's locale (package messages; the locale attribute, then
// clientMetadata.locale, then English); anything else becomes the generic
// text with a reference to the log line.
//
// One file per trigger holds its handler; each declares the few store and SDK
// methods it calls.
//
// See https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html.
package triggers
