package queries

import (
	"fmt"
	"io"
	"time"

	"github.com/wsledger/wsledger/projections"
)

// Rates is a provider's accuracy and performance-confirmation status beside its performance
// measures.
type Rates struct {
	Provider string               `json:"provider"`
	Accuracy projections.Accuracy `json:"accuracy"`
	Measures projections.Measures `json:"measures"`
}

// WriteText renders the accuracy, then the measures.
func (r Rates) WriteText(w io.Writer) error {
	if err := r.Accuracy.WriteText(w); err != nil {
		return err
	}
	if _, err := fmt.Fprintln(w); err != nil {
		return err
	}
	return r.Measures.WriteText(w)
}

// measureRows are the rates of every measure: by month and year, provider-wide and per case
// manager.
func (r Rates) measureRows() []projections.MeasureRate {
	var out []projections.MeasureRate
	for _, list := range [][]projections.MeasureRate{r.Measures.Months, r.Measures.Years, r.Measures.CaseManagerMonths, r.Measures.CaseManagerYears} {
		out = append(out, list...)
	}
	return out
}

func liveRates(v *projections.Views, provider string, _ time.Time) (Rates, error) {
	a, err := v.Accuracy(provider)
	if err != nil {
		return Rates{}, err
	}
	m, err := v.Measures(provider)
	return Rates{Provider: provider, Accuracy: a, Measures: m}, err
}

func replayRates(r *projections.Replay) Rates {
	return Rates{Provider: r.Provider, Accuracy: r.Accuracy(), Measures: r.Measures()}
}
