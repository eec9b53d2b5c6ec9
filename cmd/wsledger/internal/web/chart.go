package web

import (
	"strconv"

	"github.com/cockroachdb/apd/v3"

	"github.com/wsledger/wsledger/domain"
)

// A chart is a month-by-month line of rates, drawn server-side as inline SVG. Rates stay exact
// decimals until they become pixel coordinates, which are rounded to a tenth of a pixel.

// chartPoint is one period's rate; Rate is nil for a period without data (a gap in the line).
type chartPoint struct {
	Label string       // shown under the axis, e.g. "Nov 2026"
	Rate  *apd.Decimal // a ratio between 0 and 1
	Note  string       // shown in the point's tooltip and the data table, e.g. "17 of 20"
}

// chartRule is a horizontal reference line, such as the 79% and 80% thresholds.
type chartRule struct {
	Rate  *apd.Decimal
	Label string
	Class string // for the stylesheet: "enter" or "leave"
	Below bool   // put the label under the line instead of above it
}

// chart is what the chart template draws, every coordinate already computed.
type chart struct {
	ID, Title, Desc string
	Class           string // "wide" or "small", for the stylesheet's text sizes
	Width, Height   int
	PlotLeft        int
	PlotRight       int
	LabelX          int // where the reference lines' labels start
	TickY           int // the baseline of the month labels
	Grid            []chartLine
	Rules           []chartLine
	Line            string // SVG path data of the series
	Dots            []chartDot
	Ticks           []chartTick
	Empty           bool
}

type chartLine struct {
	Y, Label, LabelY, Class string
}

// chartDot is a point; ShowValue prints its value beside it when there is room for every label,
// LabelDY places that label above the point, or below it when a reference line runs just above.
// Every point shows its value and note (Title) when hovered or focused.
type chartDot struct {
	X, Y, Title, Value, LabelDY string
	ShowValue                   bool
}

type chartTick struct{ X, Label string }

// chartLayout is a chart's geometry, in SVG user units; the SVG scales to its container. A chart
// with reference lines keeps a margin on the right for their labels, clear of the data.
type chartLayout struct {
	class                   string
	width, height           int
	left, right, rightRules int
	top, bottom, tickY      int
	maxTicks, maxValues     int // the most month labels and point values that fit
}

var (
	// wideChart is a chart of its own across the page (the accuracy chart).
	wideChart = chartLayout{class: "wide", width: 800, height: 260, left: 48, right: 780, rightRules: 590,
		top: 16, bottom: 220, tickY: 242, maxTicks: 12, maxValues: 12}
	// smallChart is one of several side by side (the performance measures): about 400 units
	// wide, it is drawn near its own size, so that its text stays readable; it labels fewer
	// months and only the last value, and shows every value on hover and focus, beside its
	// data table.
	smallChart = chartLayout{class: "small", width: 400, height: 250, left: 50, right: 384, rightRules: 384,
		top: 18, bottom: 204, tickY: 230, maxTicks: 4, maxValues: 1}
)

// newChart lays out points on a scale from lo to 100%, lo being the lower of floorPercent and
// the lowest rate rounded down to a multiple of 10%.
func newChart(l chartLayout, id, title, desc string, floorPercent int64, points []chartPoint, rules []chartRule) chart {
	c := chart{ID: id, Title: title, Desc: desc, Class: l.class, Width: l.width, Height: l.height,
		PlotLeft: l.left, PlotRight: l.right, TickY: l.tickY, Empty: true}
	if len(rules) > 0 {
		c.PlotRight = l.rightRules
	}
	c.LabelX = c.PlotRight + 8
	lo := floorPercent
	for _, p := range points {
		if p.Rate != nil {
			c.Empty = false
			lo = min(lo, tensBelow(p.Rate))
		}
	}
	scale := yScale{lo: apd.New(lo, -2), top: l.top, bottom: l.bottom}
	for pct := lo; pct <= 100; pct += 10 {
		c.Grid = append(c.Grid, chartLine{Y: scale.y(apd.New(pct, -2)).String(), Label: strconv.FormatInt(pct, 10) + "%"})
	}
	var ruleYs []tenths
	for _, r := range rules {
		y := scale.y(r.Rate)
		ruleYs = append(ruleYs, y)
		c.Rules = append(c.Rules, chartLine{Y: y.String(), Label: r.Label, LabelY: labelY(y, r.Below), Class: r.Class})
	}
	step := 0
	if len(points) > 1 {
		step = (c.PlotRight - l.left - 40) / (len(points) - 1)
	}
	pen := "M"
	every := (len(points) + l.maxTicks - 1) / max(l.maxTicks, 1)
	for i, p := range points {
		x := strconv.Itoa(l.left + 20 + i*step)
		if (len(points)-1-i)%max(every, 1) == 0 { // counted from the last month, which is always labelled
			c.Ticks = append(c.Ticks, chartTick{X: x, Label: p.Label})
		}
		if p.Rate == nil {
			pen = "M"
			continue
		}
		ty := scale.y(p.Rate)
		y := ty.String()
		c.Line += pen + x + " " + y + " "
		pen = "L"
		value := domain.Percent(p.Rate, 1)
		c.Dots = append(c.Dots, chartDot{X: x, Y: y, Value: value, Title: p.Label + ": " + value + noteSuffix(p.Note),
			LabelDY: valueLabelDY(ty, ruleYs), ShowValue: len(points) <= l.maxValues || i == len(points)-1})
	}
	return c
}

func noteSuffix(note string) string {
	if note == "" {
		return ""
	}
	return " (" + note + ")"
}

// labelY places a rule's label 4 units above its line, or 13 below it, so that the labels of
// lines a percentage point apart do not overlap.
func labelY(y tenths, below bool) string {
	if below {
		return (y + 130).String()
	}
	return (y - 40).String()
}

// valueLabelDY puts a point's value 10 units above it, or 18 below it when a reference line
// runs less than 20 units above the point, where the label would cross it.
func valueLabelDY(y tenths, ruleYs []tenths) string {
	for _, r := range ruleYs {
		if r <= y && y-r < 200 {
			return "18"
		}
	}
	return "-10"
}

// tenths is a coordinate in tenths of a unit.
type tenths int64

func (t tenths) String() string {
	return strconv.FormatInt(int64(t)/10, 10) + "." + strconv.FormatInt(int64(t)%10, 10)
}

// tensBelow returns the rate as a whole percentage rounded down to a multiple of 10.
func tensBelow(r *apd.Decimal) int64 {
	pct := new(apd.Decimal)
	ctx := apd.BaseContext.WithPrecision(40)
	_, _ = ctx.Mul(pct, r, apd.New(10, 0)) // tens of percent
	_, _ = ctx.Floor(pct, pct)
	n, err := pct.Int64()
	if err != nil {
		return 0
	}
	return max(n*10, 0)
}

// yScale maps a rate between lo and 1 to a vertical coordinate of the plot area, from top to
// bottom.
type yScale struct {
	lo          *apd.Decimal
	top, bottom int
}

func (s yScale) y(r *apd.Decimal) tenths {
	ctx := apd.BaseContext.WithPrecision(34)
	span, pos, y := new(apd.Decimal), new(apd.Decimal), new(apd.Decimal)
	_, _ = ctx.Sub(span, apd.New(1, 0), s.lo)
	_, _ = ctx.Sub(pos, apd.New(1, 0), r)                            // distance from the top, as a rate
	_, _ = ctx.Mul(pos, pos, apd.New(int64(10*(s.bottom-s.top)), 0)) // in tenths of a unit
	_, _ = ctx.Quo(y, pos, span)
	_, _ = ctx.Add(y, y, apd.New(int64(10*s.top), 0))
	_, _ = ctx.RoundToIntegralValue(y, y)
	n, _ := y.Int64()
	return tenths(n)
}
