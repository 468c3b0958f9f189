//go:build !poolside.fn || poolside.fn.customsmssender

package main

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/poolside-io/poolside/delivery"
	"github.com/poolside-io/poolside/triggers"
)

func init() { wirers[triggers.CustomSMSSender] = wireCustomSMSSender }

// wireCustomSMSSender registers CustomSMSSender: KMS and SNS clients, built
// on the first event.
func wireCustomSMSSender(a *app) error {
	h, err := a.senderHandler()
	if err != nil {
		return err
	}
	h.SMS = &lazySMS{build: sync.OnceValues(func() (*delivery.SNS, error) {
		awsCfg, err := a.awsOnce()
		if err != nil {
			return nil, err
		}
		return &delivery.SNS{API: sns.NewFromConfig(awsCfg, func(o *sns.Options) {
			if ep := a.cfg.Senders.SNSEndpoint; ep != "" {
				o.BaseEndpoint = aws.String(ep)
			}
		})}, nil
	})}
	a.router.HandleCustomSMSSender(h.Handle)
	return nil
}

type lazySMS struct {
	build func() (*delivery.SNS, error)
}

func (l *lazySMS) SendSMS(ctx context.Context, m triggers.OutgoingSMS) error {
	s, err := l.build()
	if err != nil {
		return err
	}
	return s.SendSMS(ctx, m)
}
