// Package delivery holds the adapters the custom sender triggers use, each
// named after its dependency: KMS (the AWS Encryption SDK with a KMS keyring,
// to decrypt the code Cognito hands over), SES (Amazon SES v2, email) and SNS
// (Amazon SNS, text messages). No Lambda types; package triggers declares what
// it needs of them. Each sender's artifact links only its own channel: ses.go
// is built for the CustomEmailSender artifact (and the command line), sns.go
// for the CustomSMSSender one (deploy/functions.txt, #17).
//
// See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html
// and https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/go.html.
package delivery
