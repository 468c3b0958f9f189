// Command hello is the smallest aws-lambda-go function: it answers every event
// with the event itself. bench/coldstart measures poolside's functions against it.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(_ context.Context, ev json.RawMessage) (json.RawMessage, error) { return ev, nil })
}
