package faketwilio

import (
	"time"
)

// Message is a message the fake created, as it stands now.
type Message struct {
	SID                 string
	AccountSID          string
	To                  string
	From                string // "" when sent through a Messaging Service
	MessagingServiceSID string
	Body                string
	StatusCallback      string
	Status              string // accepted, queued, sent, delivered, undelivered or failed
	ErrorCode           int    // 0 unless undelivered or failed
	NumSegments         int
	DateCreated         time.Time
	DateUpdated         time.Time
	DateSent            time.Time // zero until sent
	Outcome             Outcome   // the final outcome it is heading for
}

// record is the server's own copy of a message; guarded by Server.mu.
type record struct {
	Message
}

// twilioTime formats t as Twilio does ("Wed, 25 Nov 2026 21:43:21 +0000").
func twilioTime(t time.Time) string {
	return t.UTC().Format(time.RFC1123Z)
}

// messageJSON is Twilio's JSON shape of a Message resource.
type messageJSON struct {
	AccountSID          string            `json:"account_sid"`
	APIVersion          string            `json:"api_version"`
	Body                string            `json:"body"`
	DateCreated         string            `json:"date_created"`
	DateSent            *string           `json:"date_sent"`
	DateUpdated         string            `json:"date_updated"`
	Direction           string            `json:"direction"`
	ErrorCode           *int              `json:"error_code"`
	ErrorMessage        *string           `json:"error_message"`
	From                *string           `json:"from"`
	MessagingServiceSID *string           `json:"messaging_service_sid"`
	NumMedia            string            `json:"num_media"`
	NumSegments         string            `json:"num_segments"`
	Price               *string           `json:"price"`
	PriceUnit           string            `json:"price_unit"`
	SID                 string            `json:"sid"`
	Status              string            `json:"status"`
	SubresourceURIs     map[string]string `json:"subresource_uris"`
	To                  string            `json:"to"`
	URI                 string            `json:"uri"`
}

// toJSON renders m as Twilio does.
func (m Message) toJSON() messageJSON {
	uri := apiPrefix + m.AccountSID + "/Messages/" + m.SID
	j := messageJSON{
		AccountSID:  m.AccountSID,
		APIVersion:  "2010-04-01",
		Body:        m.Body,
		DateCreated: twilioTime(m.DateCreated),
		DateUpdated: twilioTime(m.DateUpdated),
		Direction:   "outbound-api",
		NumMedia:    "0",
		NumSegments: itoa(m.NumSegments),
		PriceUnit:   "USD",
		SID:         m.SID,
		Status:      m.Status,
		SubresourceURIs: map[string]string{
			"media":    uri + "/Media.json",
			"feedback": uri + "/Feedback.json",
		},
		To:  m.To,
		URI: uri + ".json",
	}
	if !m.DateSent.IsZero() {
		sent := twilioTime(m.DateSent)
		j.DateSent = &sent
	}
	if m.From != "" {
		j.From = &m.From
	}
	if m.MessagingServiceSID != "" {
		j.MessagingServiceSID = &m.MessagingServiceSID
	}
	if m.ErrorCode != 0 {
		code, text := m.ErrorCode, errorCodeText(m.ErrorCode)
		j.ErrorCode, j.ErrorMessage = &code, &text
	}
	if m.Status == "sent" || m.Status == "delivered" || m.Status == "undelivered" {
		price := "-0.07600"
		j.Price = &price
	}
	return j
}

// errorCodeText describes the delivery error codes the fake uses.
func errorCodeText(code int) string {
	switch code {
	case 30003:
		return "Unreachable destination handset"
	case 30005:
		return "Unknown destination handset"
	case 30006:
		return "Landline or unreachable carrier"
	default:
		return "Unknown error"
	}
}
