package httpapi

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/faketwilio"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/internal/twiliosms"
)

// ourNumber is the service's Twilio number in the tests.
const ourNumber = "+4759440000"

// replyEnv is the whole service on a real store behind a real HTTP server,
// with a fake Twilio that signs and posts webhooks the way Twilio does.
type replyEnv struct {
	t         testing.TB
	ctx       context.Context
	st        *store.Store
	s         *Server
	url       string // the server's address, also its public URL unless publicURL is set
	publicURL string // what Twilio signs
	fake      *faketwilio.Server
	reg       *prometheus.Registry
	campaign  *panel.Campaign
	org, aud  string           // API tokens
	invited   []panel.Phone    // invitee(i) numbers, in recipient id order
	outbound  map[int64]string // invitation provider ids by recipient id
	seq       atomic.Int64
	logs      *syncBuffer // the server's log, JSON lines
}

// testReplies gives setup (fakes_test.go) its Replies dependency: an inbox
// service on a fresh SQLite store, so every route is registered.
func testReplies(t testing.TB) *Replies {
	t.Helper()
	st := storetest.Open(t, storetest.SQLite(t))
	return &Replies{
		Validator: twiliosms.NewValidator("testtoken"), PublicURL: "http://localhost:8080",
		Inbox: testInbox(t, st, nil), Statuses: st, Quotas: st,
	}
}

// invitee returns the number of test recipient i (1-based).
func invitee(i int) panel.Phone { return panel.Phone(fmt.Sprintf("+479%07d", i)) }

// newReplyEnv serves st with n invited recipients (register columns
// birth_year, gender, district). publicURL, when not "", is the configured
// public URL instead of the server's own address.
func newReplyEnv(t testing.TB, st *store.Store, n int, publicURL string) *replyEnv {
	t.Helper()
	e := &replyEnv{t: t, ctx: context.Background(), st: st, reg: prometheus.NewRegistry(), outbound: map[int64]string{}, logs: &syncBuffer{}}
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	e.url, e.publicURL = srv.URL, srv.URL
	if publicURL != "" {
		e.publicURL = publicURL
	}
	e.fake = faketwilio.New(faketwilio.Options{Seed: uint64(time.Now().UnixNano())})
	ds := newDraws(t, st, draw.Config{})
	s, err := NewServer(complete(t, Deps{
		Campaigns: st, Tokens: st, Audit: st, DB: st,
		Logger:     slog.New(slog.NewJSONHandler(e.logs, nil)),
		Registerer: e.reg, Gatherer: e.reg,
		Replies: &Replies{
			Validator: twiliosms.NewValidator(panel.Secret(e.fake.AuthToken())), PublicURL: e.publicURL,
			Account: e.fake.AccountSID(),
			Inbox:   testInbox(t, st, ds), Statuses: st, Quotas: st,
		},
		Draws: ds,
	}))
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	e.s, handler = s, s.Handler()
	_, org, err := st.CreateToken(e.ctx, panel.RoleOrganiser, "olga")
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	_, aud, err := st.CreateToken(e.ctx, panel.RoleAuditor, "audun")
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	e.org, e.aud = org.Reveal(), aud.Reveal()
	e.invite(n)
	return e
}

// invite creates a campaign, imports n recipients and marks their
// invitations sent, as the sender does.
func (e *replyEnv) invite(n int) {
	t, ctx, st := e.t, e.ctx, e.st
	c := panel.NewCampaign()
	c.Name, c.InvitationText = "Trondheim 2026", "Hei! Vil du være med i innbyggerpanelet? Svar JA eller NEI."
	if err := st.CreateCampaign(ctx, c); err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	e.campaign = c
	rows := make([]panel.RecipientInput, n)
	genders, districts := []string{"kvinne", "mann"}, []string{"Midtbyen", "Østbyen", "Lerkendal", "Heimdal"}
	for i := range rows {
		rows[i] = panel.RecipientInput{Row: i + 2, Phone: invitee(i + 1), Attributes: map[string]string{
			"birth_year": fmt.Sprint(1950 + i%50), "gender": genders[i%2], "district": districts[i%4],
		}}
		e.invited = append(e.invited, invitee(i+1))
	}
	if _, err := st.ImportRecipients(ctx, c.ID, rows); err != nil {
		t.Fatalf("ImportRecipients: %v", err)
	}
	var msgs []*panel.OutboundMessage
	for i := 1; i <= n; i++ {
		msgs = append(msgs, &panel.OutboundMessage{CampaignID: c.ID, RecipientID: int64(i), Kind: panel.KindInvitation,
			Body: c.InvitationText, DedupKey: fmt.Sprintf("invitation/%d/%d", c.ID, i)})
	}
	if _, err := st.Enqueue(ctx, msgs); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	claimed, err := st.Claim(ctx, "test", time.Now().Add(time.Hour), n, time.Minute)
	if err != nil || len(claimed) != n {
		t.Fatalf("Claim: got %d, %v, want %d", len(claimed), err, n)
	}
	results := make([]panel.SentResult, n)
	for i, m := range claimed {
		results[i] = panel.SentResult{ID: m.ID, ProviderID: fmt.Sprintf("SMinv%06d", m.ID), Status: "queued"}
		e.outbound[m.RecipientID] = results[i].ProviderID
	}
	if lost, err := st.MarkSentBatch(ctx, "test", results); err != nil || len(lost) != 0 {
		t.Fatalf("MarkSentBatch: lost %v, %v", lost, err)
	}
}

// smsForm is a Twilio inbound SMS form with a fresh MessageSid.
func (e *replyEnv) smsForm(from panel.Phone, body string) url.Values {
	sid := fmt.Sprintf("SM%032d", e.seq.Add(1))
	return url.Values{
		"AccountSid": {e.fake.AccountSID()}, "ApiVersion": {"2010-04-01"}, "Body": {body}, "From": {string(from)},
		"MessageSid": {sid}, "NumMedia": {"0"}, "NumSegments": {"1"}, "SmsMessageSid": {sid}, "SmsSid": {sid},
		"SmsStatus": {"received"}, "To": {ourNumber},
	}
}

// sms sends an inbound SMS through the fake Twilio, signed, and returns
// the reply ("" for an empty TwiML response). Any status but 200 fails.
func (e *replyEnv) sms(from panel.Phone, body string, extra ...string) string {
	e.t.Helper()
	x := url.Values{}
	for i := 0; i+1 < len(extra); i += 2 {
		x.Set(extra[i], extra[i+1])
	}
	status, b, err := e.fake.SendInbound(e.ctx, e.url+InboundSMSPath, string(from), ourNumber, body, x)
	if err != nil {
		e.t.Fatalf("SendInbound(%q): %v", body, err)
	}
	if status != http.StatusOK {
		e.t.Fatalf("inbound %q: got %d %s, want 200", body, status, b)
	}
	return twimlReply(e.t, b)
}

// twimlReply returns the one message of a TwiML answer, "" for none.
func twimlReply(t testing.TB, body string) string {
	t.Helper()
	var doc struct {
		XMLName  xml.Name `xml:"Response"`
		Messages []string `xml:"Message"`
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("answer %q is not TwiML: %v", body, err)
	}
	if len(doc.Messages) > 1 {
		t.Fatalf("answer %q has %d messages, want at most one", body, len(doc.Messages))
	}
	return strings.Join(doc.Messages, "")
}

// post sends body to path with a Content-Type and an optional signature.
func (e *replyEnv) post(path, contentType, body, signature string) response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatalf("new request: %v", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if signature != "" {
		req.Header.Set("X-Twilio-Signature", signature)
	}
	return e.roundTrip(req)
}

// postSigned posts form to path (query included), signed for the public URL.
func (e *replyEnv) postSigned(path string, form url.Values) response {
	e.t.Helper()
	return e.post(path, "application/x-www-form-urlencoded; charset=UTF-8", form.Encode(), e.fake.Sign(e.publicURL+path, form))
}

// api calls the admin API with token.
func (e *replyEnv) api(method, path, token, body string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatalf("new request: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.roundTrip(req)
}

func (e *replyEnv) roundTrip(req *http.Request) response {
	e.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("read body: %v", err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// recipientState returns the state of the recipient with number p.
func (e *replyEnv) recipientState(p panel.Phone) string {
	e.t.Helper()
	for i, q := range e.invited {
		if q == p {
			r, err := e.st.FindRecipient(e.ctx, int64(i+1))
			if err != nil {
				e.t.Fatalf("FindRecipient: %v", err)
			}
			return r.State
		}
	}
	e.t.Fatalf("%s is no test recipient", p)
	return ""
}

// stored reports whether a message with the provider id was stored.
func (e *replyEnv) stored(sid string) bool {
	e.t.Helper()
	_, err := e.st.FindInboundByProviderID(e.ctx, sid)
	if err != nil && panel.ErrorCode(err) != panel.ENOTFOUND {
		e.t.Fatalf("FindInboundByProviderID: %v", err)
	}
	return err == nil
}

// counter returns the value of a counter with the given labels, 0 when
// it was never incremented.
func (e *replyEnv) counter(name string, labels ...string) float64 {
	e.t.Helper()
	mfs, err := e.reg.Gather()
	if err != nil {
		e.t.Fatalf("Gather: %v", err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					found = found || (lp.GetName() == labels[i] && lp.GetValue() == labels[i+1])
				}
				if !found {
					continue metrics
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}
