// Command customemailsender is CustomEmailSender's direct handler
// (bench/coldstart/direct): it claims and decrypts the code and sends it by
// SES.
package main

import (
	"context"
	"html"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/poolside-io/poolside/bench/coldstart/direct/awsenv"
	"github.com/poolside-io/poolside/bench/coldstart/direct/sender"
)

func main() {
	s, err := sender.New()
	if err != nil {
		panic(err)
	}
	client := sesv2.NewFromConfig(awsenv.Config(), func(o *sesv2.Options) { o.BaseEndpoint = awsenv.Endpoint("SES") })
	from := os.Getenv("POOLSIDE_SENDER_FROM")
	lambda.Start(func(ctx context.Context, ev sender.Event) (sender.Event, error) {
		code, ok, err := s.Code(ctx, ev)
		if err != nil || !ok {
			return ev, err
		}
		text := "Your verification code is " + code
		utf8 := aws.String("UTF-8")
		_, err = client.SendEmail(ctx, &sesv2.SendEmailInput{
			FromEmailAddress: aws.String(from),
			Destination:      &types.Destination{ToAddresses: []string{ev.Request.UserAttributes["email"]}},
			Content: &types.EmailContent{Simple: &types.Message{
				Subject: &types.Content{Data: aws.String("Your verification code"), Charset: utf8},
				Body: &types.Body{
					Html: &types.Content{Data: aws.String("<p>" + html.EscapeString(text) + "</p>"), Charset: utf8},
					Text: &types.Content{Data: aws.String(text), Charset: utf8},
				},
			}},
		})
		return ev, err
	})
}
