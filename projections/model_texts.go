package projections

// text is a short text that recurs from record to record (a month, a member of staff, a role, a
// category, a source, a CLNO date, a level), kept as its index in the model's texts: four bytes
// and no pointer in every review, finding and concern, where a string takes sixteen and a pointer
// the garbage collector follows. Text 0 is "".
type text uint32

// addText returns the text s, adding it to the model's texts the first time. Texts are added as
// events first use them, so the same events give the same table.
func (m *model) addText(s string) text {
	if x, ok := m.textIndex[s]; ok {
		return x
	}
	x := text(len(m.st.Texts))
	m.st.Texts = append(m.st.Texts, s)
	m.textIndex[s] = x
	return x
}

// text returns the text x stands for.
func (m *model) text(x text) string { return m.st.Texts[x] }

// indexTexts rebuilds the index of texts restored from a saved state.
func (m *model) indexTexts() {
	clear(m.textIndex)
	for i, s := range m.st.Texts {
		m.textIndex[s] = text(i)
	}
}
