package twiliosms_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/twiliosms"
)

func TestMessagingResponse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		messages []string
	}{
		{name: "none"},
		{name: "one", messages: []string{"Takk! Du er med i trekningen."}},
		{name: "escaping", messages: []string{`Svar "JA" & <ikke> noe annet`, "Hilsen æøå"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := twiliosms.MessagingResponse(tt.messages...)
			if err != nil {
				t.Fatalf("MessagingResponse: %v", err)
			}
			if !strings.HasPrefix(got, `<?xml version="1.0" encoding="UTF-8"?>`) {
				t.Errorf("got %q, want an XML declaration first", got)
			}
			if len(tt.messages) == 0 && !strings.HasSuffix(got, "<Response/>") {
				t.Errorf("got %q, want an empty <Response/>", got)
			}
			var doc struct {
				XMLName  xml.Name `xml:"Response"`
				Messages []string `xml:"Message"`
			}
			if err := xml.Unmarshal([]byte(got), &doc); err != nil {
				t.Fatalf("got unparsable TwiML %q: %v", got, err)
			}
			if len(doc.Messages) != len(tt.messages) {
				t.Fatalf("got %d messages, want %d", len(doc.Messages), len(tt.messages))
			}
			for i := range doc.Messages {
				if doc.Messages[i] != tt.messages[i] {
					t.Errorf("message %d: got %q, want %q", i, doc.Messages[i], tt.messages[i])
				}
			}
		})
	}
	if !strings.HasPrefix(twiliosms.ContentType, "application/xml") {
		t.Errorf("got ContentType %q, want application/xml", twiliosms.ContentType)
	}
}
