// Command customsmssender is CustomSMSSender's direct handler
// (bench/coldstart/direct): it claims and decrypts the code and sends it by
// SNS.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/poolside-io/poolside/bench/coldstart/direct/awsenv"
	"github.com/poolside-io/poolside/bench/coldstart/direct/sender"
)

func main() {
	s, err := sender.New()
	if err != nil {
		panic(err)
	}
	client := sns.NewFromConfig(awsenv.Config(), func(o *sns.Options) { o.BaseEndpoint = awsenv.Endpoint("SNS") })
	lambda.Start(func(ctx context.Context, ev sender.Event) (sender.Event, error) {
		code, ok, err := s.Code(ctx, ev)
		if err != nil || !ok {
			return ev, err
		}
		_, err = client.Publish(ctx, &sns.PublishInput{
			PhoneNumber: aws.String(ev.Request.UserAttributes["phone_number"]),
			Message:     aws.String("Your verification code is " + code),
			MessageAttributes: map[string]types.MessageAttributeValue{
				"AWS.SNS.SMS.SMSType": {DataType: aws.String("String"), StringValue: aws.String("Transactional")},
			},
		})
		return ev, err
	})
}
