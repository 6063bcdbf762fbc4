package drawcli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/citizenspanel/panel/sortition"
)

// Progress display: nothing for the first progressAfter (most draws end
// sooner), then a line at most every progressEvery.
const (
	progressAfter = 2 * time.Second
	progressEvery = 2 * time.Second
)

// prepare runs sortition.Prepare under the time limit (0: none), printing
// the lottery computation's progress to stderr when it runs long. A stop by
// the time limit or by Ctrl-C gives an error with the bounds reached.
func prepare(ctx context.Context, pool *sortition.Pool, quotas []sortition.Quota, params sortition.Params, limit time.Duration, stderr io.Writer) (*sortition.Record, error) {
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	start := time.Now()
	next := start.Add(progressAfter)
	printed := false
	ctx = sortition.WithProgress(ctx, func(p sortition.Progress) {
		if now := time.Now(); !now.Before(next) {
			fmt.Fprintf(stderr, "computing the lottery (%s): %v\n", now.Sub(start).Round(time.Second), p)
			next = now.Add(progressEvery)
			printed = true
		}
	})
	rec, err := sortition.Prepare(ctx, pool, quotas, params)
	var stopped *sortition.StoppedError
	switch {
	case err == nil:
		if printed {
			fmt.Fprintf(stderr, "lottery computed in %s\n", time.Since(start).Round(100*time.Millisecond))
		}
		return rec, nil
	case errors.As(err, &stopped) && errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("draw: stopped at the time limit of %v, no record written; reached %v", limit, stopped.Reached)
	case errors.As(err, &stopped):
		return nil, fmt.Errorf("draw: interrupted, no record written; reached %v", stopped.Reached)
	}
	return nil, fmt.Errorf("draw: %w", err)
}
