package inbox_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestYesAndNoAtOnce: a JA and a NEI from one number that arrive at the
// same time, on one replica or on two replicas of the service over one
// database, end in a state one of the two sequential orders gives. In
// both orders the person ends up a volunteer in the dialogue (NEI then
// JA: the yes counts; JA then NEI: the NEI is an unclear answer to the
// first question), so a recipient is volunteered exactly when a volunteer
// row exists, never "declined" with a volunteer left "asking".
func TestYesAndNoAtOnce(t *testing.T) {
	t.Parallel()
	const pairs = 30
	for _, name := range []string{store.DialectSQLite, store.DialectPostgres} {
		for _, replicas := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/replicas=%d", name, replicas), func(t *testing.T) {
				t.Parallel()
				db := storetest.Fresh(t, name)
				s := storetest.Open(t, db)
				e := setup(t, s, pairs)
				other := e.svc
				if replicas == 2 {
					other = newService(t, storetest.Open(t, db), func() time.Time { return t0 })
				}
				var wg sync.WaitGroup
				for i := 1; i <= pairs; i++ {
					p := phone(i)
					yes := panel.InboundSMS{ProviderID: fmt.Sprintf("SMja%03d", i), From: p, To: "+4759440000", Body: "JA"}
					no := panel.InboundSMS{ProviderID: fmt.Sprintf("SMnei%03d", i), From: p, To: "+4759440000", Body: "NEI"}
					wg.Go(func() {
						if _, err := e.svc.Handle(e.ctx, yes); err != nil {
							t.Errorf("JA from %d: %v", i, err)
						}
					})
					wg.Go(func() {
						if _, err := other.Handle(e.ctx, no); err != nil {
							t.Errorf("NEI from %d: %v", i, err)
						}
					})
				}
				wg.Wait()
				bad := 0
				for i := 1; i <= pairs; i++ {
					p := phone(i)
					r, v := e.recipient(p), e.volunteer(p)
					if r.State != panel.RecipientVolunteered || v == nil || v.DialogueState != panel.DialogueAsking {
						bad++
						state := "none"
						if v != nil {
							state = v.DialogueState
						}
						t.Errorf("pair %d: recipient %q, volunteer %s; want volunteered with a volunteer asking (either order)", i, r.State, state)
					}
				}
				if bad > 0 {
					t.Logf("%d of %d pairs ended in a state no sequential order gives", bad, pairs)
				}
			})
		}
	}
}
