//go:build poolside.lambda

package main

import (
	"context"
	"errors"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/poolside-io/poolside/internal/hugeheap" // huge pages for the heap the first event grows into
)

func init() { lendFirstCollection(hugeheap.Fillers(), debug.SetGCPercent) }

// lendFirstCollection raises the first garbage collection's heap goal by
// garbage bytes, and sets GOGC back once that collection has run.
//
// hugeheap's init leaves about 2 MiB of dropped fillers on a heap whose first
// goal is 4 MiB (4 MiB × GOGC/100, the runtime's heap minimum), so a custom
// sender's first event used to cross the trigger and run a collection
// mid-event (gctrace: "gc 1 @0.016s … 3->3->0 MB, 4 MB goal", 0.8–1.4 ms of
// CPU on one P). The goal moves up by the fillers' size (GOGC + 100 ×
// garbage / 4 MiB, as the heap minimum scales with GOGC), and a finalizer on
// an object nothing holds, which runs after the first collection, puts GOGC
// back: every later goal is the one GOGC sets. GOGC=off is left alone.
// setPercent is debug.SetGCPercent (a parameter for the tests).
func lendFirstCollection(garbage int, setPercent func(int) int) {
	if garbage <= 0 {
		return
	}
	const heapMinimum = 4 << 20 // the runtime's defaultHeapMinimum, at GOGC=100
	gogc := setPercent(-1)      // read it: the runtime has no getter
	if gogc < 0 {
		setPercent(gogc)
		return
	}
	setPercent(gogc + (garbage*100+heapMinimum-1)/heapMinimum)
	runtime.SetFinalizer(&firstCollection{}, func(*firstCollection) { setPercent(gogc) })
}

// firstCollection is the object whose finalizer runs after the first
// collection (a pointer, so it is not a tiny allocation, whose finalizer may
// never run).
type firstCollection struct{ _ *byte }

// loadAWS builds the AWS configuration of a Lambda artifact from what Lambda
// puts in the environment: AWS_REGION and the execution role's
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. The shared
// configuration chain (config.LoadDefaultConfig: profiles, SSO, STS, IMDS) is
// not linked in: its packages cost every cold start ~1.5 ms of package
// initialisation and a larger binary, for credentials Lambda never uses.
func loadAWS(_ context.Context, local bool) (aws.Config, error) {
	id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		if !local {
			return aws.Config{}, errors.New("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (Lambda sets them from the function's role)")
		}
		id, secret = "local", "local"
	}
	return aws.Config{
		Region:      awsRegion(),
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(id, secret, os.Getenv("AWS_SESSION_TOKEN"))),
		Retryer:     newRetryer,
	}, nil
}
