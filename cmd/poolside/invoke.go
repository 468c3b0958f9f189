//go:build !poolside.fn

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/poolside-io/poolside/config"
)

// cmdInvoke runs one event from stdin through the router: the response event
// on stdout and exit 0, or Lambda's error shape on stdout and exit 1.
func cmdInvoke(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) int {
	a, err := newApp(config.OSEnv, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	payload, err := io.ReadAll(io.LimitReader(stdin, maxPayload+1))
	if err != nil {
		fmt.Fprintln(stderr, "poolside invoke: read stdin:", err)
		return 1
	}
	if len(payload) > maxPayload {
		fmt.Fprintln(stderr, "poolside invoke:", payloadTooLarge)
		return 1
	}
	out, err := a.router.Invoke(ctx, payload)
	if err != nil {
		body, ok := err.(messages.InvokeResponse_Error)
		if !ok {
			body = messages.InvokeResponse_Error{Message: err.Error(), Type: "Error"}
		}
		b, _ := json.Marshal(body)
		fmt.Fprintln(stdout, string(b))
		return 1
	}
	fmt.Fprintln(stdout, string(out))
	return 0
}
