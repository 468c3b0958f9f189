package main

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/poolside-io/poolside/delivery"
	"github.com/poolside-io/poolside/triggers"
)

// kmsHTTPTimeout ends a KMS call the Encryption SDK cannot cancel (it passes
// no context on) well inside Cognito's 5 s.
const kmsHTTPTimeout = 3 * time.Second

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

// senderHandler returns the one handler both senders share: templates as
// CustomMessage's, the KMS decrypter, and send claims in the profile store.
func (a *app) senderHandler() (*triggers.CustomSenderHandler, error) {
	if a.sender != nil {
		return a.sender, nil
	}
	m := a.cfg.Messages
	h := &triggers.CustomSenderHandler{Messages: m.Catalog, Brand: m.Brand, AppURL: m.AppURL}
	store, err := a.profileStore()
	if err != nil {
		return nil, err
	}
	if c, ok := store.(sendClaimer); ok {
		h.Claims = c
	}
	h.Decrypter = &lazyDecrypter{build: sync.OnceValues(func() (*delivery.KMS, error) {
		if a.cfg.Senders.KMSKeyARN == "" {
			return nil, errors.New("POOLSIDE_SENDER_KMS_KEY_ARN is not set")
		}
		awsCfg, err := a.awsOnce()
		if err != nil {
			return nil, err
		}
		c := kms.NewFromConfig(awsCfg, func(o *kms.Options) {
			o.HTTPClient = &http.Client{Timeout: kmsHTTPTimeout}
			if ep := a.cfg.Senders.KMSEndpoint; ep != "" {
				o.BaseEndpoint = aws.String(ep)
			}
		})
		return delivery.NewKMS(c, a.cfg.Senders.KMSKeyARN)
	})}
	a.sender = h
	return h, nil
}

// sendClaimer is what the profile stores offer the senders (Claim/Release).
type sendClaimer interface {
	Claim(ctx context.Context, key string, until time.Time) (bool, error)
	Release(ctx context.Context, key string) error
}

// The lazy adapters build their SDK client on the first event, so a
// function's cold start makes none.
type lazyDecrypter struct {
	build func() (*delivery.KMS, error)
}

func (l *lazyDecrypter) Decrypt(ctx context.Context, ciphertext []byte) ([]byte, error) {
	k, err := l.build()
	if err != nil {
		return nil, err
	}
	return k.Decrypt(ctx, ciphertext)
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
