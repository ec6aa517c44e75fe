package openfda

import "strconv"

// jsonw appends indented JSON (two spaces, as the openFDA downloads are formatted) with keys in the order
// they are written; encoding/json would sort map keys and cost a reflection pass per report.
type jsonw struct {
	b     []byte
	depth int
	first bool // no member written yet at this depth
}

func (w *jsonw) newline() {
	w.b = append(w.b, '\n')
	for range w.depth {
		w.b = append(w.b, ' ', ' ')
	}
}

func (w *jsonw) member(key string) {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.newline()
	if key != "" {
		w.b = strconv.AppendQuote(w.b, key)
		w.b = append(w.b, ':', ' ')
	}
}

func (w *jsonw) open(key string, c byte) {
	w.member(key)
	w.b = append(w.b, c)
	w.depth++
	w.first = true
}

func (w *jsonw) close(c byte) {
	w.depth--
	if !w.first {
		w.newline()
	}
	w.b = append(w.b, c)
	w.first = false
}

// str writes a string member; values are ASCII without control characters, so Go quoting is valid JSON.
func (w *jsonw) str(key, v string) {
	w.member(key)
	w.b = strconv.AppendQuote(w.b, v)
}

func (w *jsonw) int(key string, v int) {
	w.member(key)
	w.b = strconv.AppendInt(w.b, int64(v), 10)
}

func (w *jsonw) strs(key string, vs ...string) {
	w.open(key, '[')
	for _, v := range vs {
		w.str("", v)
	}
	w.close(']')
}
