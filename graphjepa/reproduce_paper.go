package graphjepa

import "strings"

// PaperResult is a published Graph-JEPA number (spec graph-jepa.md §12, from
// the reference's paper_logs "Averages over 5 runs" lines).
type PaperResult struct {
	Dataset string  `json:"dataset"`
	Metric  string  `json:"metric"` // "accuracy (%)" or "MAE"
	Mean    float64 `json:"mean"`
	Std     float64 `json:"std"`
}

var paperResults = map[string]PaperResult{
	"MUTAG":           {"MUTAG", "accuracy (%)", 91.25, 5.75},
	"PROTEINS":        {"PROTEINS", "accuracy (%)", 75.68, 3.78},
	"DD":              {"DD", "accuracy (%)", 78.64, 2.35},
	"REDDIT-BINARY":   {"REDDIT-BINARY", "accuracy (%)", 91.99, 1.59},
	"REDDIT-MULTI-5K": {"REDDIT-MULTI-5K", "accuracy (%)", 56.73, 1.96},
	"IMDB-BINARY":     {"IMDB-BINARY", "accuracy (%)", 73.68, 3.25},
	"IMDB-MULTI":      {"IMDB-MULTI", "accuracy (%)", 50.69, 2.91},
	"ZINC":            {"ZINC", "MAE", 0.434, 0.014},
	"EXP":             {"EXP", "accuracy (%)", 98.77, 0.99},
}

var paperAliases = map[string]string{
	"REDDIT-B": "REDDIT-BINARY", "REDDITB": "REDDIT-BINARY",
	"REDDIT-M5": "REDDIT-MULTI-5K", "REDDIT-M": "REDDIT-MULTI-5K", "REDDITM": "REDDIT-MULTI-5K",
	"IMDB-B": "IMDB-BINARY", "IMDBB": "IMDB-BINARY", "IMDB-M": "IMDB-MULTI", "IMDBM": "IMDB-MULTI",
	"ZINC12K": "ZINC", "ZINC-12K": "ZINC",
}

// Paper returns the published Graph-JEPA result for a data set (names as
// Preset accepts them, case-insensitive) and whether there is one.
func Paper(dataset string) (PaperResult, bool) {
	key := strings.ToUpper(strings.TrimSpace(dataset))
	if a, ok := paperAliases[key]; ok {
		key = a
	}
	r, ok := paperResults[key]
	return r, ok
}
