//go:build !poolside.fn || poolside.fn.customsmssender

package delivery

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/poolside-io/poolside/triggers"
)

// snsAPI is the SNS operation SNS uses.
type snsAPI interface {
	Publish(ctx context.Context, in *sns.PublishInput, opts ...func(*sns.Options)) (*sns.PublishOutput, error)
}

var _ snsAPI = (*sns.Client)(nil)

// SNS sends text messages through Amazon SNS, as transactional SMS (higher
// delivery priority than promotional, as a one-time code needs).
type SNS struct {
	API snsAPI
}

// SendSMS publishes m to its phone number (E.164).
func (s *SNS) SendSMS(ctx context.Context, m triggers.OutgoingSMS) error {
	_, err := s.API.Publish(ctx, &sns.PublishInput{
		PhoneNumber: aws.String(m.To),
		Message:     aws.String(m.Text),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"AWS.SNS.SMS.SMSType": {DataType: aws.String("String"), StringValue: aws.String("Transactional")},
		},
	})
	if err != nil {
		return fmt.Errorf("sns Publish: %w", err)
	}
	return nil
}
