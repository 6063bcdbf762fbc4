// Package publicpage renders the public draw page: the HTML a browser gets
// at GET /public/draws/{id}, in bokmål or English, with the ceremony's state
// and times, the commitment, the parameters, the seed, the panel and
// reserves (pseudonyms), every person's probability as an inline SVG chart
// with a table alternative, how to verify in three steps, and downloads. The
// page verifies the record in the browser on load with the sortition
// package's Verify compiled to WebAssembly (assets/verify.wasm, built from
// ./verifywasm by go generate), and writes the outcome into the element
// #verification. Every asset is embedded; no other host is used.
package publicpage

//go:generate sh -c "GOOS=js GOARCH=wasm go build -trimpath -buildvcs=false -ldflags='-s -w' -o assets/verify.wasm ./verifywasm && cp \"$(go env GOROOT)/lib/wasm/wasm_exec.js\" assets/wasm_exec.js && cp \"$(go env GOROOT)/LICENSE\" assets/wasm_exec.LICENSE"

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/citizenspanel/panel/sortition"
)

//go:embed assets
var assets embed.FS

//go:embed page.html
var pageHTML string

// AssetsPath is where Assets is mounted; the page links its assets there.
const AssetsPath = "/public/assets/"

// Assets serves the page's embedded assets (style, script, the WebAssembly
// verifier and Go's wasm_exec.js) under AssetsPath.
func Assets() http.Handler {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embedded folder is part of the binary
	}
	files := http.FileServerFS(sub)
	return http.StripPrefix(AssetsPath, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/wasm")
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	}))
}

// Draw is what the page shows of one draw.
type Draw struct {
	ID          int64
	State       string // e.g. committed, seeded
	CreatedAt   time.Time
	CommittedAt *time.Time
	SeededAt    *time.Time
	// Record is the public record JSON: the full record once seeded, the
	// committed view (commitment and parameters) before.
	Record []byte
}

// publicRecord reads both the full record and the committed view.
type publicRecord struct {
	sortition.Record
	PoolSize      int `json:"pool_size"`
	LotteryPanels int `json:"lottery_panels"`
}

// person is one row of the probability table.
type person struct {
	ID          string
	Probability float64
	Role        string // "selected", "reserve" or ""
}

// bar is one bar of the chart.
type bar struct {
	X, Y, W, H float64
	Title      string
	Class      string
}

// view is the template's data.
type view struct {
	Lang, Other, OtherLabel string
	T                       map[string]string
	Draw                    Draw
	Rec                     publicRecord
	Drawn                   bool
	PoolSize, Panels        int
	Categories              []string
	People                  []person
	Bars                    []bar
	ChartW, ChartH, MinY    float64
	OptY                    float64
	RecordURL, QuotasURL    string
	Assets                  string
	Times                   []timeRow
}

// timeRow is one time of the ceremony.
type timeRow struct{ Label, Value string }

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"pct":  func(p float64) string { return strconv.FormatFloat(100*p, 'f', 2, 64) + " %" },
	"prob": func(p float64) string { return strconv.FormatFloat(p, 'f', 6, 64) },
	"join": strings.Join,
}).Parse(pageHTML))

// Render writes the page of a draw in lang ("nb" or "en", see Language).
func Render(w io.Writer, lang string, d Draw) error {
	v := view{Lang: lang, T: catalogue[lang], Draw: d, Assets: AssetsPath}
	if v.T == nil {
		v.Lang, v.T = "nb", catalogue["nb"]
	}
	v.Other, v.OtherLabel = "en", "English"
	if v.Lang == "en" {
		v.Other, v.OtherLabel = "nb", "Norsk bokmål"
	}
	if err := json.Unmarshal(d.Record, &v.Rec); err != nil {
		return fmt.Errorf("publicpage: read the record: %w", err)
	}
	base := "/public/draws/" + strconv.FormatInt(d.ID, 10)
	v.RecordURL, v.QuotasURL = base+"/record.json", base+"/quotas.csv"
	v.Drawn = v.Rec.Seed != "" && v.Rec.Pool != nil
	v.PoolSize, v.Panels = v.Rec.PoolSize, v.Rec.LotteryPanels
	if v.Drawn {
		v.PoolSize, v.Panels = len(v.Rec.Pool), v.Rec.PanelsCount
	}
	v.Categories = sortition.Categories(v.Rec.Quotas)
	v.Times = times(v.T, d)
	if v.Drawn {
		v.people()
	}
	var b bytes.Buffer
	if err := page.Execute(&b, v); err != nil {
		return fmt.Errorf("publicpage: render: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// times lists the ceremony's times that are known, in Europe/Oslo.
func times(t map[string]string, d Draw) []timeRow {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		loc = time.UTC
	}
	format := func(x time.Time) string { return x.In(loc).Format("2006-01-02 15:04 MST") }
	rows := []timeRow{{t["created"], format(d.CreatedAt)}}
	if d.CommittedAt != nil {
		rows = append(rows, timeRow{t["committed"], format(*d.CommittedAt)})
	}
	if d.SeededAt != nil {
		rows = append(rows, timeRow{t["seeded"], format(*d.SeededAt)})
	}
	return rows
}

// people fills the table and the chart: everyone by probability, highest first.
func (v *view) people() {
	role := map[string]string{}
	for _, id := range v.Rec.Selected {
		role[id] = v.T["role_selected"]
	}
	for _, id := range v.Rec.Reserves {
		role[id] = v.T["role_reserve"]
	}
	for _, p := range v.Rec.Pool {
		pr := v.Rec.Probabilities[p.ID]
		v.People = append(v.People, person{ID: p.ID, Probability: pr, Role: role[p.ID]})
	}
	sort.SliceStable(v.People, func(i, j int) bool { return v.People[i].Probability > v.People[j].Probability })
	maxP := 0.0
	for _, p := range v.People {
		maxP = math.Max(maxP, p.Probability)
	}
	if maxP == 0 {
		maxP = 1
	}
	const h = 160.0
	w := math.Max(2, math.Min(12, 720/float64(max(1, len(v.People)))))
	v.ChartW, v.ChartH = w*float64(len(v.People)), h
	for i, p := range v.People {
		bh := h * p.Probability / maxP
		class := "bar"
		if p.Role != "" {
			class = "bar member"
		}
		v.Bars = append(v.Bars, bar{X: float64(i) * w, Y: h - bh, W: w * 0.9, H: bh, Class: class,
			Title: fmt.Sprintf("%s: %s", p.ID, strconv.FormatFloat(p.Probability, 'f', 6, 64))})
	}
	v.OptY = h - h*v.Rec.OptimalMinProbability/maxP
}

// QuotasCSV writes the record's quotas as a quota file panel draw and panel
// verify read: feature,value,min,max (with min_flex,max_flex when any quota
// has them).
func QuotasCSV(record []byte) ([]byte, error) {
	var rec publicRecord
	if err := json.Unmarshal(record, &rec); err != nil {
		return nil, fmt.Errorf("publicpage: read the record: %w", err)
	}
	flex := slices.ContainsFunc(rec.Quotas, func(q sortition.Quota) bool { return q.MinFlex != nil || q.MaxFlex != nil })
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	header := []string{"feature", "value", "min", "max"}
	if flex {
		header = append(header, "min_flex", "max_flex")
	}
	_ = w.Write(header)
	for _, q := range rec.Quotas {
		row := []string{q.Category, q.Value, strconv.Itoa(q.Min), strconv.Itoa(q.Max)}
		if flex {
			lo, hi := q.Min, q.Max
			if q.MinFlex != nil {
				lo = *q.MinFlex
			}
			if q.MaxFlex != nil {
				hi = *q.MaxFlex
			}
			row = append(row, strconv.Itoa(lo), strconv.Itoa(hi))
		}
		_ = w.Write(row)
	}
	w.Flush()
	return b.Bytes(), w.Error()
}
