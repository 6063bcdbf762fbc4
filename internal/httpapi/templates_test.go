package httpapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/internal/templates"
)

func TestTemplates(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		e := setupInvite(t, st)
		create := func(templatesJSON string) response {
			return e.do(t, "POST", "/api/v1/campaigns", e.org, strings.NewReader(fmt.Sprintf(
				`{"name":"maler","invitation_text":"Vil du være med? Svar {keyword}.","templates":%s}`, templatesJSON)))
		}

		t.Run("a misspelt key is refused naming the known keys", func(t *testing.T) {
			r := create(`{"draw_selectd":"Du er trukket ut!"}`)
			if r.status != 422 {
				t.Fatalf("got %d %s, want 422", r.status, r.body)
			}
			for _, want := range []string{"templates.draw_selectd is not a template key", "did you mean draw_selected?",
				"draw_not_selected, draw_reserve, draw_selected, meeting_cancelled, meeting_changed, meeting_reminder"} {
				if !strings.Contains(string(r.body), want) {
					t.Errorf("got %s, want it to say %q", r.body, want)
				}
			}
		})

		t.Run("the catalogue lists every key with both languages and placeholders", func(t *testing.T) {
			r := e.do(t, "GET", "/api/v1/templates", e.aud, nil)
			if r.status != 200 {
				t.Fatalf("got %d %s", r.status, r.body)
			}
			var got struct{ Templates []templates.Entry }
			if err := json.Unmarshal(r.body, &got); err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, en := range got.Templates {
				keys = append(keys, en.Key)
				if en.Default.NB == "" || en.Default.EN == "" || en.Purpose == "" || en.MaxSegments == 0 {
					t.Errorf("%s: got %+v, want purpose, both defaults and a segment limit", en.Key, en)
				}
				if en.Key == "meeting_reminder" {
					var names []string
					for _, p := range en.Placeholders {
						names = append(names, p.Name+"="+p.Example)
					}
					if want := "meeting_title=Samling 1,meeting_date=onsdag 25. november,meeting_time=18:00,place=Rådhuset"; strings.Join(names, ",") != want {
						t.Errorf("meeting_reminder placeholders: got %s, want %s", strings.Join(names, ","), want)
					}
					if !strings.Contains(en.Default.NB, "kl. {meeting_time}") {
						t.Errorf("got default %q, want it to write kl. {meeting_time}", en.Default.NB)
					}
				}
			}
			if want := "draw_not_selected,draw_reserve,draw_selected,meeting_cancelled,meeting_changed,meeting_reminder"; strings.Join(keys, ",") != want {
				t.Errorf("got keys %s, want %s", strings.Join(keys, ","), want)
			}
		})

		t.Run("a campaign's effective templates", func(t *testing.T) {
			r := create(`{"meeting_reminder":"Husk {meeting_title} {meeting_date} kl. {meeting_time}."}`)
			if r.status != 201 {
				t.Fatalf("create: got %d %s", r.status, r.body)
			}
			var c struct{ ID int64 }
			json.Unmarshal(r.body, &c)
			r = e.do(t, "GET", fmt.Sprintf("/api/v1/campaigns/%d/templates", c.ID), e.aud, nil)
			if r.status != 200 {
				t.Fatalf("got %d %s", r.status, r.body)
			}
			var got struct {
				CampaignID int64 `json:"campaign_id"`
				Templates  []templates.Effective
			}
			if err := json.Unmarshal(r.body, &got); err != nil {
				t.Fatal(err)
			}
			custom := 0
			for _, tpl := range got.Templates {
				switch {
				case tpl.Key == "meeting_reminder" && (!tpl.Custom || tpl.Text != "Husk {meeting_title} {meeting_date} kl. {meeting_time}."):
					t.Errorf("meeting_reminder: got %+v, want the campaign's own text", tpl)
				case tpl.Key != "meeting_reminder" && (tpl.Custom || tpl.Text != tpl.Default.NB):
					t.Errorf("%s: got %+v, want the Norwegian default", tpl.Key, tpl)
				}
				if tpl.Custom {
					custom++
				}
			}
			if got.CampaignID != c.ID || len(got.Templates) != 6 || custom != 1 {
				t.Errorf("got campaign %d, %d templates, %d custom; want %d, 6, 1", got.CampaignID, len(got.Templates), custom, c.ID)
			}
			if r := e.do(t, "GET", "/api/v1/campaigns/999999/templates", e.aud, nil); r.status != 404 {
				t.Errorf("unknown campaign: got %d, want 404", r.status)
			}
		})
	})
}
