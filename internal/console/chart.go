package console

import "github.com/citizenspanel/panel/internal/panel"

// Geometry of the pool-against-quotas chart, in SVG user units.
const (
	chartLabelWidth = 180
	chartBarsWidth  = 380
	chartRowHeight  = 26
	chartTop        = 8
)

// chartRow is one category value's bar: the quota's range as a band, the
// pool count as a bar, and whether the minimum is unmet.
type chartRow struct {
	Label      string
	Pool       int
	Min, Max   *int
	Unmet      bool
	Y          int // top of the row
	PoolWidth  int
	RangeX     int // start of the quota band (min)
	RangeWidth int
	HasRange   bool
	Panel      *int // members of the drawn panel with this value; nil before the draw
	PanelX     int  // where the panel mark is drawn
}

// chart is the whole chart.
type chart struct {
	Rows   []chartRow
	Width  int
	Height int
	BarsX  int
	Drawn  bool // a panel has been drawn: rows carry Panel
}

// makeChart lays out comp: every value with a quota, and the others, and
// the drawn panel's counts when there is one (drawn is nil before).
func makeChart(comp panel.Composition, drawn panel.PanelCounts) chart {
	top := 1
	for _, v := range comp.Values {
		top = max(top, v.Pool, drawn[v.Category][v.Value])
		if v.Max != nil {
			top = max(top, *v.Max)
		}
	}
	scale := func(n int) int { return n * chartBarsWidth / top }
	ch := chart{Width: chartLabelWidth + chartBarsWidth + 60, BarsX: chartLabelWidth, Drawn: drawn != nil}
	for i, v := range comp.Values {
		row := chartRow{
			Label: v.Category + ": " + v.Value, Pool: v.Pool, Min: v.Min, Max: v.Max,
			Unmet: v.Min != nil && v.Pool < *v.Min,
			Y:     chartTop + i*chartRowHeight, PoolWidth: scale(v.Pool),
		}
		if v.Min != nil && v.Max != nil {
			row.HasRange = true
			row.RangeX = chartLabelWidth + scale(*v.Min)
			row.RangeWidth = max(2, scale(*v.Max)-scale(*v.Min))
		}
		if drawn != nil {
			n := drawn[v.Category][v.Value]
			row.Panel, row.PanelX = &n, chartLabelWidth+scale(n)
		}
		ch.Rows = append(ch.Rows, row)
	}
	ch.Height = chartTop*2 + len(ch.Rows)*chartRowHeight
	return ch
}
