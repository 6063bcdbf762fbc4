package sender_test

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/sender"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/internal/twiliosms"
)

// Environment of the child process of TestKilledSenderSendsEachOnce.
const (
	childEnv      = "PANEL_SENDER_TEST_CHILD"
	childDBEnv    = "PANEL_SENDER_TEST_DB"
	childFakeEnv  = "PANEL_SENDER_TEST_FAKE"
	childSIDEnv   = "PANEL_SENDER_TEST_SID"
	childTokenEnv = "PANEL_SENDER_TEST_TOKEN"
	childOwnerEnv = "PANEL_SENDER_TEST_OWNER"
)

// killLease is the lease of the killed senders: short, so that the test
// does not wait long for their claims to expire.
const (
	killLease       = 3 * time.Second
	killSendTimeout = time.Second
)

// TestKilledSenderChild is the child process: it sends from the outbox
// until it is killed. It does nothing in a normal test run.
func TestKilledSenderChild(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("only runs as the child of TestKilledSenderSendsEachOnce")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, os.Getenv(childDBEnv), nil)
	if err != nil {
		t.Fatalf("child: open store: %v", err)
	}
	gw, err := twiliosms.New(twiliosms.Config{
		AccountSID: os.Getenv(childSIDEnv), AuthToken: panel.Secret(os.Getenv(childTokenEnv)),
		From: "+4759440000", BaseURL: os.Getenv(childFakeEnv),
	})
	if err != nil {
		t.Fatalf("child: gateway: %v", err)
	}
	snd, err := sender.New(s, gw, sender.Config{
		Owner: os.Getenv(childOwnerEnv), Rate: math.Inf(1),
		Workers: 8, Batch: 40, Lease: killLease, SendTimeout: killSendTimeout, PollInterval: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("child: sender: %v", err)
	}
	_ = snd.Run(ctx) // until SIGKILL
}

// TestKilledSenderSendsEachOnce kills a sending subprocess with SIGKILL
// several times at random moments, then lets a fresh sender finish after
// the dead leases expire: every recipient must have exactly one message
// at the provider.
func TestKilledSenderSendsEachOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes and waits for leases to expire")
	}
	t.Parallel()
	for _, name := range []string{store.DialectSQLite, store.DialectPostgres} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := storetest.SQLite(t)
			if name == store.DialectPostgres {
				db = storetest.Postgres(t)
			}
			const n = 1500
			e := newEnvAt(t, storetest.Open(t, db), n, time.Now().UTC(), nil)
			// The children and the fake use the real clock.
			e.s = e.s.WithClock(time.Now)
			rng := rand.New(rand.NewPCG(uint64(len(name)), 9))
			for kill := 0; kill < 5; kill++ {
				cmd := exec.Command(os.Args[0], "-test.run=^TestKilledSenderChild$", "-test.count=1")
				cmd.Env = append(os.Environ(), childEnv+"=1", childDBEnv+"="+db.URL, childFakeEnv+"="+e.fake.BaseURL(),
					childSIDEnv+"="+e.fake.AccountSID(), childTokenEnv+"="+e.fake.AuthToken(),
					childOwnerEnv+"=child-"+strconv.Itoa(kill))
				if err := cmd.Start(); err != nil {
					t.Fatalf("start child: %v", err)
				}
				before := len(e.fake.Messages())
				// Kill once the child is sending, at a random moment.
				for deadline := time.Now().Add(20 * time.Second); len(e.fake.Messages()) == before && time.Now().Before(deadline); {
					time.Sleep(5 * time.Millisecond)
				}
				time.Sleep(time.Duration(rng.IntN(150)) * time.Millisecond)
				if err := cmd.Process.Kill(); err != nil {
					t.Fatalf("kill child: %v", err)
				}
				_ = cmd.Wait()
				t.Logf("kill %d: %d messages at the provider", kill+1, len(e.fake.Messages()))
			}
			time.Sleep(killLease + 500*time.Millisecond) // the last child's leases expire
			snd := e.sender("survivor", func(c *senderSetup) {
				c.Clock, c.Sleep, c.Lease, c.SendTimeout = time.Now, nil, killLease, killSendTimeout
			})
			ctx := context.Background()
			for round := 0; ; round++ {
				if err := snd.Drain(ctx); err != nil {
					t.Fatalf("Drain: %v", err)
				}
				st := e.stats()
				if st.Queued == 0 && st.Sending == 0 {
					break
				}
				if round == 100 {
					t.Fatalf("not drained: %+v", st)
				}
				time.Sleep(200 * time.Millisecond) // retries and leases come due in real time
			}
			if st := e.stats(); st.Sent+st.Delivered != n {
				t.Errorf("got %+v, want all %d sent", st, n)
			}
			e.assertOncePerNumber(nil)
			t.Logf("the survivor adopted %d messages the killed senders had handed to the provider",
				strings.Count(e.logs.String(), "adopted a message the provider had already accepted"))
		})
	}
}
