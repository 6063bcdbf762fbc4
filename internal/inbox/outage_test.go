package inbox_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/inbox"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestHandleLogsCauseNotContent: when the database is gone, Handle fails
// and its log line carries the cause from the driver, never the number or
// the body.
func TestHandleLogsCauseNotContent(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			setup(t, s, 1)
			var logs bytes.Buffer
			svc := newServiceWith(t, s, inbox.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil)), Now: func() time.Time { return t0 }})
			if err := s.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			in := panel.InboundSMS{ProviderID: "SMdown1", From: phone(1), To: "+4759440000", Body: "Ja, gjerne hemmelig"}
			if _, err := svc.Handle(context.Background(), in); err == nil {
				t.Fatal("Handle on a closed database: got nil error")
			}
			got := logs.String()
			if !strings.Contains(got, "inbound sms not handled") || !strings.Contains(got, "database is closed") {
				t.Errorf("log: got %q, want the cause (sql: database is closed)", got)
			}
			for _, leak := range []string{string(phone(1)), string(phone(1))[3:], "hemmelig"} {
				if strings.Contains(got, leak) {
					t.Errorf("log contains %q: %s", leak, got)
				}
			}
		})
	}
}
