package simulate

import (
	"testing"
	"time"
)

func TestOffsetClock(t *testing.T) {
	t.Parallel()
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	real := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newOffsetClock(RoundStart(oslo), func() time.Time { return real })
	if got := c.Now(); !got.Equal(RoundStart(oslo)) || got.Location() != oslo {
		t.Fatalf("got %v, want the round's start in Oslo", got)
	}
	real = real.Add(90 * time.Second) // real time runs on
	c.Advance(48 * time.Hour)
	c.Advance(-time.Hour) // ignored
	if got, want := c.Now(), RoundStart(oslo).Add(48*time.Hour+90*time.Second); !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
