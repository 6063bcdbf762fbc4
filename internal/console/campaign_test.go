package console_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
)

// campaignForm is a complete new-campaign form.
func campaignForm(nonce string) url.Values {
	return url.Values{
		"name":            {"Trondheim 2027"},
		"invitation_text": {"Hei! Vil du være med i innbyggerpanelet? Svar {keyword} innen {deadline}."},
		"reply_by":        {"2026-12-20"},
		"send_rate":       {"10"},
		"quiet_hours":     {"20:00-08:00"},
		"nonce":           {nonce},
		"action":          {"save"},
	}
}

func TestCreateCampaign(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, false)
		b := e.browser("")
		b.signIn("kari")
		form := b.get("/campaigns/new")
		if form.status != http.StatusOK {
			t.Fatalf("GET /campaigns/new: got %d", form.status)
		}
		nonce := formValue(t, form.body, "nonce")

		// A missing field: the form again, values kept, the error by the field.
		bad := campaignForm(nonce)
		bad.Set("name", "")
		p := b.post("/campaigns/new", bad)
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("missing name: got %d, want 422", p.status)
		}
		for _, want := range []string{`id="name-error">Må fylles ut.`, `aria-invalid="true" aria-describedby="name-error"`, "Svar {keyword} innen {deadline}.</textarea>", `value="2026-12-20"`} {
			if !strings.Contains(p.body, want) {
				t.Errorf("missing name: page lacks %q", want)
			}
		}
		// The preview shows the rendered text, counts and no warning.
		for _, want := range []string{"Svar JA innen søndag 20. desember.", `id="preview-encoding">GSM-7`, `id="preview-segments">1`} {
			if !strings.Contains(p.body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}

		// Posted twice (a double click): one campaign.
		for i := range 2 {
			p = b.post("/campaigns/new", campaignForm(nonce))
			if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/campaigns/") {
				t.Fatalf("save %d: got %d to %q, want 303 to the campaign", i+1, p.status, p.location)
			}
		}
		list, total, err := s.ListCampaigns(e.ctx, panel.CampaignFilter{})
		if err != nil || total != 1 || list[0].Name != "Trondheim 2027" || list[0].ReplyBy != "2026-12-20" {
			t.Fatalf("campaigns: got %d (%v), want exactly Trondheim 2027", total, err)
		}
		overview := b.get(p.location)
		for _, want := range []string{"Trondheim 2027", "Utkast", "Send invitasjoner", "ingen mottakere importert ennå"} {
			if !strings.Contains(overview.body, want) {
				t.Errorf("overview lacks %q", want)
			}
		}
		// A second campaign with the same name: the error is by the name field.
		p = b.post("/campaigns/new", campaignForm("other"))
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Det finnes allerede en kampanje med dette navnet.") {
			t.Errorf("duplicate name: got %d, want 422 with the error by the field", p.status)
		}
	})
}

func TestPreviewWarnings(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	b := e.browser("en")
	b.signIn("kari")
	p := b.post("/campaigns/preview", url.Values{"invitation_text": {"Hei – vil du være med? Svar innen {deadline}."}, "reply_by": {"2026-12-01"}})
	for _, want := range []string{`"encoding":"UCS-2"`, `"forced_by":"–"`, "The text asks for no reply word", "The reply-by date is in the past."} {
		if !strings.Contains(p.body, want) {
			t.Errorf("preview %s lacks %q", p.body, want)
		}
	}
}

// upload posts a file to the recipients page.
func (b *browser) upload(path, field, name string, content []byte) page {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(content)
	mw.Close()
	return b.do(http.MethodPost, path, mw.FormDataContentType(), &buf)
}

// confirm posts the preview's confirmation form.
func (b *browser) confirm(path, nonce, content string) page {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("nonce", nonce)
	mw.WriteField("content", content)
	mw.Close()
	return b.do(http.MethodPost, path, mw.FormDataContentType(), &buf)
}

const recipientsCSV = "phone,gender,district\n+4791000001,kvinne,Østbyen\n+4791000002,mann,Midtbyen\nikke-et-nummer,kvinne,Heimdal\n+4791000003,kvinne,Heimdal\n"

func TestImportRecipients(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, s *store.Store) {
		t.Parallel()
		e := newEnv(t, s, false)
		b := e.browser("")
		b.signIn("kari")
		camp := &panel.Campaign{Name: "Bergen", InvitationText: "Svar JA", SendRate: 10, Templates: map[string]string{}}
		if err := s.CreateCampaign(e.ctx, camp); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/campaigns/%d/recipients", camp.ID)
		count := func() int {
			n, err := s.CountRecipientsByState(e.ctx, camp.ID)
			if err != nil {
				t.Fatal(err)
			}
			return n[panel.RecipientPending]
		}

		if p := b.upload(path, "file", "people.xlsx", []byte("PK\x03\x04\x00binary")); p.status != http.StatusUnsupportedMediaType || !strings.Contains(p.body, "ikke en CSV-fil") {
			t.Errorf("a non-CSV upload: got %d, want 415 with the reason", p.status)
		}
		big := append([]byte("phone\n"), bytes.Repeat([]byte("+4791000001\n"), 17<<20/12)...)
		if p := b.upload(path, "file", "big.csv", big); p.status != http.StatusRequestEntityTooLarge || !strings.Contains(p.body, "for stor") {
			t.Errorf("a 17 MB upload: got %d, want 413 with the reason", p.status)
		}

		p := b.upload(path, "file", "utvalg.csv", []byte(recipientsCSV))
		if p.status != http.StatusOK {
			t.Fatalf("upload: got %d\n%s", p.status, p.body)
		}
		for _, want := range []string{"3 mottakere kan importeres", "1 linje avvist", "<td>4</td><td>ikke et gyldig telefonnummer: inneholder bokstaver", "<td>district</td><td>kategori</td>", "<td>phone</td><td>telefonnummer</td>", "Østbyen"} {
			if !strings.Contains(p.body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		if n := count(); n != 0 {
			t.Fatalf("after the preview: %d recipients stored, want 0", n)
		}
		nonce := formValue(t, p.body, "nonce")
		for i := range 2 {
			p = b.confirm(path+"/confirm", nonce, recipientsCSV)
			if i == 0 && (p.status != http.StatusOK || !strings.Contains(p.body, "3 mottakere ble importert.")) {
				t.Fatalf("confirm: got %d\n%s", p.status, p.body)
			}
			if i == 1 && (p.status != http.StatusSeeOther || !strings.Contains(p.location, "notice=repeated")) {
				t.Errorf("confirm again: got %d to %q, want a redirect saying it was done once", p.status, p.location)
			}
		}
		if n := count(); n != 3 {
			t.Errorf("after confirming twice: %d recipients, want 3", n)
		}
	})
}

func TestSendPauseResume(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	b := e.browser("en")
	b.signIn("kari")
	camp := &panel.Campaign{Name: "Oslo", InvitationText: "Svar JA", SendRate: 10, Templates: map[string]string{}}
	if err := e.store.CreateCampaign(e.ctx, camp); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/campaigns/%d", camp.ID)
	p := b.upload(path+"/recipients", "file", "r.csv", []byte(recipientsCSV))
	b.confirm(path+"/recipients/confirm", formValue(t, p.body, "nonce"), recipientsCSV)

	nonce := formValue(t, b.get(path).body, "nonce")
	for range 2 {
		if p := b.post(path+"/send", url.Values{"nonce": {nonce}}); p.status != http.StatusSeeOther {
			t.Fatalf("send: got %d\n%s", p.status, p.body)
		}
	}
	p = b.get(path + "/progress?rate=10")
	if !strings.Contains(p.body, `"total":3,"queued":3`) || !strings.Contains(p.body, `"eta_seconds":1`) {
		t.Errorf("progress after send: got %s, want 3 queued", p.body)
	}
	overview := b.get(path)
	if !strings.Contains(overview.body, "Sending</span>") || !strings.Contains(overview.body, "3 segments to 3 recipients") {
		t.Errorf("overview after send lacks the state or the total segments\n%s", overview.body)
	}
	if p := b.post(path+"/pause", url.Values{"nonce": {"p1"}}); p.status != http.StatusSeeOther {
		t.Errorf("pause: got %d", p.status)
	}
	if p := b.post(path+"/pause", url.Values{"nonce": {"p2"}}); p.status != http.StatusConflict || !strings.Contains(p.body, "“Pause” is not possible now: the campaign is “Paused”.") {
		t.Errorf("pause a paused campaign: got %d, want 409 saying why", p.status)
	}
	if p := b.post(path+"/resume", url.Values{"nonce": {"r1"}}); p.status != http.StatusSeeOther {
		t.Errorf("resume: got %d", p.status)
	}
}

func TestEditDraft(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	b := e.browser("")
	b.signIn("kari")
	p := b.post("/campaigns/new", campaignForm("n1"))
	path := p.location
	form := b.get(path + "/edit")
	if form.status != http.StatusOK || !strings.Contains(form.body, `value="Trondheim 2027"`) || !strings.Contains(form.body, "Lagre endringene") {
		t.Fatalf("edit page: %d\n%s", form.status, form.body)
	}
	edit := campaignForm("")
	edit.Set("name", "")
	if p := b.post(path+"/edit", edit); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="name-error">Må fylles ut.`) {
		t.Errorf("edit without a name: got %d, want 422 with the error by the field", p.status)
	}
	edit.Set("name", "Trondheim 2028")
	edit.Set("invitation_text", "Hei igjen! Svar {keyword}.")
	if p := b.post(path+"/edit", edit); p.status != http.StatusSeeOther || !strings.Contains(p.location, "notice=updated") {
		t.Fatalf("edit: got %d to %q\n%s", p.status, p.location, p.body)
	}
	if p := b.get(path); !strings.Contains(p.body, "Trondheim 2028") || !strings.Contains(p.body, "Hei igjen! Svar JA.") {
		t.Errorf("overview after the edit lacks the new name or text")
	}
	if p := b.post(path+"/send", url.Values{"nonce": {"s"}}); p.status != http.StatusSeeOther {
		t.Fatalf("send: %d", p.status)
	}
	if p := b.get(path + "/edit"); p.status != http.StatusConflict {
		t.Errorf("edit a sending campaign: got %d, want 409", p.status)
	}
	if p := b.get(path); strings.Contains(p.body, "/edit\"") {
		t.Errorf("a sending campaign's overview offers editing")
	}
}

func TestOverviewShowsTheDrawnPanel(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	s, ctx := e.store, e.ctx
	c := &panel.Campaign{Name: "Trukket", InvitationText: "Svar JA", SendRate: 10, Templates: map[string]string{}}
	if err := s.CreateCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	var rows []panel.VolunteerInput
	for i, g := range []string{"kvinne", "kvinne", "mann", "mann"} {
		rows = append(rows, panel.VolunteerInput{Row: i + 2, ExternalID: string(rune('a' + i)), Values: map[string]string{"gender": g}})
	}
	if _, _, err := s.ImportVolunteers(ctx, c.ID, rows, false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetQuotas(ctx, c.ID, []panel.Quota{{Category: "gender", Value: "kvinne", Min: 1, Max: 1}, {Category: "gender", Value: "mann", Min: 1, Max: 1}}); err != nil {
		t.Fatal(err)
	}
	b := e.browser("en")
	b.signIn("revi")
	path := fmt.Sprintf("/campaigns/%d", c.ID)
	if p := b.get(path); strings.Contains(p.body, "On the panel") {
		t.Errorf("before the draw: the overview shows a panel column")
	}
	d := &panel.Draw{CampaignID: c.ID, Params: panel.DrawParams{Seats: 2, Reserves: 1, Algorithm: "legacy"}, Snapshot: []byte("{}")}
	if err := s.CreateDraw(ctx, d); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimCommitting(ctx, "w", e.clock.Now(), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishCommit(ctx, d.ID, "w", []byte("{}"), "commitment"); err != nil {
		t.Fatal(err)
	}
	members := []panel.SeedMember{{PseudoID: "a", Role: panel.RoleSelected, Rank: 1}, {PseudoID: "b", Role: panel.RoleSelected, Rank: 2}, {PseudoID: "c", Role: panel.RoleReserve, Rank: 1}}
	if err := s.SeedDraw(ctx, d.ID, "seed", []byte("{}"), members, map[string]any{"seed": "seed"}); err != nil {
		t.Fatal(err)
	}
	p := b.get(path)
	for _, want := range []string{"On the panel", "<td>kvinne</td><td>1–1</td><td>2</td><td>2</td>", "<td>mann</td><td>1–1</td><td>2</td><td>0</td>", `class="panelmark"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("after the draw: overview lacks %q", want)
		}
	}
}
