package projections

// Heads returns, for every provider the views hold, the number of its events they have applied:
// the position of its chain's head. Operators watch it grow (docs/operations.md, "Metrics").
func (v *Views) Heads() map[string]uint64 {
	out := map[string]uint64{}
	for _, p := range v.Providers() {
		if n, err := read(v, p, func(m *model) uint64 { return m.st.Chain.Events }); err == nil {
			out[p] = n
		}
	}
	return out
}
