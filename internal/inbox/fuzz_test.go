package inbox_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// FuzzHandle sends arbitrary messages from invited people (and from
// unknown numbers) through the whole service on SQLite: it must never
// panic, and every error must be an EINVALID naming the field.
func FuzzHandle(f *testing.F) {
	for _, seed := range []struct {
		sender     uint8
		body, stop string
		id         string
	}{
		{1, "ja", "", "SM1"}, {1, "2 ja", "", "SM2"}, {2, "STOPP", "", "SM3"}, {3, "", "STOP", "SM4"},
		{4, "hæ?", "", "SM5"}, {9, "ja", "", "SM6"}, {1, "ja", "", "SM1"}, {2, "\x00\xff", "START", ""},
		{3, "Ja. Nei forresten, STOPP 🙃", "", "SM 7"},
	} {
		f.Add(seed.sender, seed.body, seed.stop, seed.id)
	}
	s := storetest.Open(f, storetest.SQLite(f))
	e := setup(f, s, 5)
	f.Fuzz(func(t *testing.T, sender uint8, body, optOut, id string) {
		from := phone(int(sender%8) + 1) // 6..8 are unknown numbers
		in := panel.InboundSMS{ProviderID: id, From: from, Body: body, OptOutType: optOut}
		reply, err := e.svc.Handle(context.Background(), in)
		if err != nil {
			if panel.ErrorCode(err) != panel.EINVALID {
				t.Fatalf("Handle(%q, %q): got %v, want success or EINVALID", id, body, err)
			}
			return
		}
		if len(reply) > 480 {
			t.Errorf("got a reply of %d bytes, want at most 3 segments' worth", len(reply))
		}
		if in2, nerr := in.Normalize(); nerr == nil {
			again, err := e.svc.Handle(context.Background(), in2)
			if err != nil || again != reply {
				t.Errorf("duplicate of %s: got %q, %v, want the first reply %q", fmt.Sprint(in2.ProviderID), again, err, reply)
			}
		}
	})
}
