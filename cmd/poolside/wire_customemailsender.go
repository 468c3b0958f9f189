//go:build !poolside.fn || poolside.fn.customemailsender

package main

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/poolside-io/poolside/delivery"
	"github.com/poolside-io/poolside/triggers"
)

func init() { wirers[triggers.CustomEmailSender] = wireCustomEmailSender }

// wireCustomEmailSender registers CustomEmailSender: KMS and SES clients,
// built on the first event.
func wireCustomEmailSender(a *app) error {
	h, err := a.senderHandler()
	if err != nil {
		return err
	}
	h.Email = &lazyEmail{build: sync.OnceValues(func() (*delivery.SES, error) {
		awsCfg, err := a.awsOnce()
		if err != nil {
			return nil, err
		}
		c := sesv2.NewFromConfig(awsCfg, func(o *sesv2.Options) {
			if ep := a.cfg.Senders.SESEndpoint; ep != "" {
				o.BaseEndpoint = aws.String(ep)
			}
		})
		return &delivery.SES{API: c, From: a.cfg.Senders.From, ConfigurationSet: a.cfg.Senders.ConfigurationSet}, nil
	})}
	a.router.HandleCustomEmailSender(h.Handle)
	return nil
}

type lazyEmail struct {
	build func() (*delivery.SES, error)
}

func (l *lazyEmail) SendEmail(ctx context.Context, m triggers.OutgoingEmail) error {
	s, err := l.build()
	if err != nil {
		return err
	}
	return s.SendEmail(ctx, m)
}
