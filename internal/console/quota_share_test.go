package console_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/store"
)

// TestQuotaShare edits the population share a quota came from: stored,
// shown again in the form, used as the chart's target instead of the
// middle of min–max, and a bad share refused in the person's language.
func TestQuotaShare(t *testing.T) {
	forEach(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s, false)
		c := ceremonyCampaign(t, e, "Trondheim")
		quotas := fmt.Sprintf("/campaigns/%d/quotas", c.ID)
		en, nb := e.browser("en"), e.browser("nb")
		en.signIn("kari")
		nb.signIn("kari")

		rows := [][4]string{{"gender", "kvinne", "2", "4"}, {"gender", "mann", "2", "4"}, {"age", "ung", "0", "6"}, {"age", "eldre", "0", "2"}}
		form := quotaForm(formValue(t, nb.get(quotas).body, "nonce"), rows...)
		form["share"] = []string{"", "", "0,8", "x"}
		p := nb.post(quotas, form)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Rad 4: andelen i befolkningen må være et tall fra 0 til 1, fikk «x».") {
			t.Fatalf("a bad share: got %d, want 422 in bokmål\n%s", p.status, between(p.body, `id="quotas-error"`, "</p>"))
		}
		if qs, _ := e.store.ListQuotas(e.ctx, c.ID); len(qs) != 0 {
			t.Fatalf("a refused table stored %d quotas", len(qs))
		}
		form = quotaForm(formValue(t, en.get(quotas).body, "nonce"), rows...)
		form["share"] = []string{"", "", "0,8", "0.2"}
		if p := en.post(quotas, form); p.status != http.StatusSeeOther {
			t.Fatalf("save with shares: got %d\n%s", p.status, between(p.body, `id="quotas-error"`, "</p>"))
		}
		qs, err := e.store.ListQuotas(e.ctx, c.ID)
		if err != nil || len(qs) != 4 || qs[0].Share != nil || qs[2].Share == nil || *qs[2].Share != 0.8 || *qs[3].Share != 0.2 {
			t.Fatalf("stored quotas %+v, %v; want shares 0.8 and 0.2 on the age rows only", qs, err)
		}
		p = en.get(quotas)
		if !strings.Contains(p.body, `name="share" value="0.8"`) {
			t.Error("the form does not show the stored share 0.8")
		}
		// Without a share the target stays the middle of min–max: 50 %.
		if before := between(p.body, `id="target-table"`, "</table>"); !strings.Contains(before, "<td>kvinne</td><td>2–4</td><td>50.0 %</td>") {
			t.Errorf("a value without a share should aim at the middle of min–max:\n%s", before)
		}
		// The upload takes the optional share column too.
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("nonce", "upload-share")
		fw, _ := mw.CreateFormFile("file", "kvoter.csv")
		_, _ = fw.Write([]byte("category;name;min;max;share\nKjønn;kvinne;2;4;0,49\nKjønn;mann;2;4;0,51\nage;ung;0;6;0,8\nage;eldre;0;2;0,2\n"))
		_ = mw.Close()
		if up := en.do(http.MethodPost, quotas+"/upload", mw.FormDataContentType(), &buf); up.status != http.StatusSeeOther {
			t.Fatalf("upload with shares: got %d\n%s", up.status, between(up.body, `id="quotas-error"`, "</p>"))
		}
		if qs, err := e.store.ListQuotas(e.ctx, c.ID); err != nil || len(qs) != 4 || qs[0].Share == nil || *qs[0].Share != 0.49 {
			t.Fatalf("uploaded quotas %+v, %v; want gender=kvinne with share 0.49", qs, err)
		}
		p = en.get(quotas)
		table := between(p.body, `id="target-table"`, "</table>")
		// The shares are the targets: 80 % and 20 %, not the middle of
		// min–max (3 of 4, 75 %), and 49 % where the middle would be 50 %.
		for _, want := range []string{"<td>ung</td><td>0–6</td><td>80.0 % (population share)</td>", "<td>eldre</td><td>0–2</td><td>20.0 % (population share)</td>", "<td>kvinne</td><td>2–4</td><td>49.0 % (population share)</td>"} {
			if !strings.Contains(table, want) {
				t.Errorf("the target table lacks %q:\n%s", want, table)
			}
		}
	})
}
