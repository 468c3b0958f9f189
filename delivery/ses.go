//go:build !poolside.fn || poolside.fn.customemailsender

package delivery

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/poolside-io/poolside/triggers"
)

// sesAPI is the SES v2 operation SES uses.
type sesAPI interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, opts ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

var _ sesAPI = (*sesv2.Client)(nil)

// SES sends email through Amazon SES v2 from one verified identity.
type SES struct {
	API sesAPI
	// From is the sender address (POOLSIDE_SENDER_FROM), e.g.
	// "Example <no-reply@example.com>"; its identity must be verified in SES.
	From string
	// ConfigurationSet is the SES configuration set (optional).
	ConfigurationSet string
}

// SendEmail sends m as an HTML email with a plain-text alternative.
func (s *SES) SendEmail(ctx context.Context, m triggers.OutgoingEmail) error {
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(s.From),
		Destination:      &types.Destination{ToAddresses: []string{m.To}},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(m.Subject), Charset: aws.String("UTF-8")},
			Body: &types.Body{
				Html: &types.Content{Data: aws.String(m.HTML), Charset: aws.String("UTF-8")},
				Text: &types.Content{Data: aws.String(m.Text), Charset: aws.String("UTF-8")},
			},
		}},
	}
	if s.ConfigurationSet != "" {
		in.ConfigurationSetName = aws.String(s.ConfigurationSet)
	}
	if _, err := s.API.SendEmail(ctx, in); err != nil {
		return fmt.Errorf("ses SendEmail: %w", err)
	}
	return nil
}
