package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRoundRatioTakesTheLastRoundsMedians(t *testing.T) {
	ms := time.Millisecond
	// Two rounds of three runs: hello then function.
	samples := [2][]time.Duration{
		{10 * ms, 12 * ms, 11 * ms /* round 2 */, 2 * ms, 4 * ms, 3 * ms},
		{30 * ms, 10 * ms, 20 * ms /* round 2 */, 6 * ms, 7 * ms, 9 * ms},
	}
	assert.InDelta(t, 7.0/3.0, roundRatio(samples[0], samples[1], 3), 1e-9, "round 2: medians 7 ms over 3 ms")
	assert.InDelta(t, 20.0/11.0, roundRatio(samples[0][:3], samples[1][:3], 3), 1e-9, "round 1: medians 20 ms over 11 ms")

	mean, lo, hi := summary([]float64{1.2, 1.5, 0.9})
	assert.InDelta(t, 1.2, mean, 1e-9)
	assert.Equal(t, 0.9, lo)
	assert.Equal(t, 1.5, hi)
}
