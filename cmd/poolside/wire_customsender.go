//go:build !poolside.fn || poolside.fn.customemailsender || poolside.fn.customsmssender

package main

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/poolside-io/poolside/delivery"
	"github.com/poolside-io/poolside/triggers"
)

// kmsHTTPTimeout ends a KMS call the Encryption SDK cannot cancel (it passes
// no context on) well inside Cognito's 5 s.
const kmsHTTPTimeout = 3 * time.Second

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

// The lazy adapters (here and in wire_customemailsender.go,
// wire_customsmssender.go) build their SDK client on the first event, so a
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
