// Package signup decides who may sign up: e-mail syntax (net/mail plus IDN
// domains), domain allow- and deny-lists, disposable-address blocking, name
// rules and required attributes. A refusal is a Violation naming a messages.Code; its
// text, in the user's language, lives in package messages. It
// holds no Lambda types: the PreSignUp trigger in package triggers reads the
// event, asks a Policy, and answers.
//
// It implements the checks described for the pre sign-up trigger:
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
package signup
