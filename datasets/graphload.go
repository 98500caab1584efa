package datasets

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Graph dataset formats understood by LoadGraphs.
const (
	FormatTU        = "tu"
	FormatGIN       = "gin"
	FormatZINC      = "zinc"
	FormatSynthetic = "synthetic"
)

// GraphLoadConfig configures LoadGraphs: the format (empty: detect) and
// the configuration of each loader. The zero value detects the format and
// uses every loader's defaults.
type GraphLoadConfig struct {
	Format    string
	TU        TUConfig
	GIN       GINConfig
	ZINC      ZINCConfig
	Synthetic SyntheticConfig
}

// LoadGraphs loads a graph dataset from a path, detecting its format
// unless cfg.Format names it:
//
//   - "synthetic" (when no such file exists): SyntheticGraphs(cfg.Synthetic);
//   - a .pkl or .pickle file: LoadZINC;
//   - a folder or .zip holding NAME_A.txt: LoadTU;
//   - a folder or .zip holding NAME/NAME.txt, or a NAME.txt file: LoadGIN.
func LoadGraphs(p string, cfg GraphLoadConfig) (*GraphSet, error) {
	format := cfg.Format
	if format == "" {
		var err error
		if format, err = detectGraphFormat(p, cfg.TU.Name, cfg.GIN.Name); err != nil {
			return nil, err
		}
	}
	switch format {
	case FormatSynthetic:
		return SyntheticGraphs(cfg.Synthetic), nil
	case FormatTU:
		return LoadTU(p, cfg.TU)
	case FormatGIN:
		if st, err := os.Stat(p); err == nil && !st.IsDir() && strings.HasSuffix(strings.ToLower(p), ".txt") {
			c := cfg.GIN
			c.Name = strings.TrimSuffix(filepath.Base(p), ".txt")
			return LoadGIN(filepath.Dir(p), c)
		}
		return LoadGIN(p, cfg.GIN)
	case FormatZINC:
		return LoadZINC(p, cfg.ZINC)
	}
	return nil, fmt.Errorf("datasets: unknown graph format %q (want tu, gin, zinc or synthetic)", format)
}

// DetectGraphFormat returns the format LoadGraphs would use for p. When
// it cannot tell, the error says what it found and what is missing: the
// TU files present without their NAME_A.txt, the several datasets a
// folder holds (an *AmbiguousError), a single TU file given instead of
// its folder, or the files the folder does hold.
func DetectGraphFormat(p string) (string, error) { return detectGraphFormat(p, "", "") }

// detectGraphFormat is DetectGraphFormat looking for the TU or GIN-format
// dataset of the given name (empty: any).
func detectGraphFormat(p, tuName, ginName string) (string, error) {
	st, err := os.Stat(p)
	if err != nil {
		if p == FormatSynthetic {
			return FormatSynthetic, nil
		}
		return "", &ParseError{File: p, Err: fmt.Errorf("%w: no such file or folder", ErrNotFound)}
	}
	ext := strings.ToLower(filepath.Ext(p))
	if !st.IsDir() {
		switch ext {
		case ".pkl", ".pickle":
			return FormatZINC, nil
		case ".txt":
			if err := notADatasetFile(p); err != nil {
				return "", err
			}
			return FormatGIN, nil
		case ".zip":
		default:
			if !isZipFile(p) {
				return "", &ParseError{File: p, Err: fmt.Errorf("cannot tell the format from the name: want a folder, .zip, .pkl or .txt (or name the format)")}
			}
		}
	}
	files, err := openGraphFiles(p)
	if err != nil {
		return "", err
	}
	defer files.Close()
	_, _, tuErr := findTU(files, tuName)
	if tuErr == nil {
		return FormatTU, nil
	}
	_, ginErr := findGIN(files, ginName)
	if ginErr == nil {
		return FormatGIN, nil
	}
	// Neither: say why, most specific first.
	var amb *AmbiguousError
	switch {
	case errors.As(tuErr, &amb), errors.As(ginErr, &amb):
		return "", &ParseError{File: files.display("."), Err: amb}
	}
	if len(tuFiles(files)) > 0 { // a TU dataset with a file missing: tuErr says which
		return "", &ParseError{File: files.display("."), Err: tuErr}
	}
	all := files.list()
	if len(all) == 0 {
		return "", &ParseError{File: files.display("."), Err: fmt.Errorf("%w: the folder is empty; want a TU dataset (NAME_A.txt, NAME_graph_indicator.txt, ...) or a GIN-format dataset (NAME/NAME.txt)", ErrNotFound)}
	}
	hint := ""
	if miss := ginNearMiss(files, ginName); miss != "" {
		hint = "; " + miss
	}
	var zips []string
	for _, f := range all {
		if strings.EqualFold(path.Ext(f), ".zip") {
			zips = append(zips, f)
		}
	}
	if len(zips) > 0 {
		hint += "; to load an archive, pass it: " + listSome(zips, 6)
	}
	return "", &ParseError{File: files.display("."), Err: fmt.Errorf("%w: neither a TU dataset (NAME_A.txt, NAME_graph_indicator.txt, ...) nor a GIN-format dataset (NAME/NAME.txt) inside; found %s%s", ErrNotFound, listSome(all, 6), hint)}
}

// notADatasetFile returns an error when p names one file of a dataset
// that LoadGraphs reads as a folder: a TU file (NAME_A.txt,
// NAME_graph_indicator.txt, ...) or a GIN fold index file.
func notADatasetFile(p string) error {
	base := filepath.Base(p)
	if name, kind, ok := tuFileKind(base); ok {
		return &ParseError{File: p, Err: fmt.Errorf("this looks like a TU file (the %s file of %s), not a dataset; pass its folder %s", kind, name, filepath.Dir(p))}
	}
	if strings.HasPrefix(base, "train_idx-") || strings.HasPrefix(base, "test_idx-") {
		return &ParseError{File: p, Err: fmt.Errorf("this looks like a fold index file of a GIN-format dataset; pass the dataset folder %s", filepath.Dir(filepath.Dir(p)))}
	}
	return nil
}

// tuKinds are the file kinds of a TU dataset (NAME_kind.txt).
var tuKinds = []string{tuA, tuGraphIndicator, tuGraphLabels, tuGraphAttributes, tuNodeLabels, tuNodeAttributes, tuEdgeLabels, tuEdgeAttributes}

// tuFileKind splits a TU file name NAME_kind.txt.
func tuFileKind(base string) (name, kind string, ok bool) {
	for _, k := range tuKinds {
		if n, found := strings.CutSuffix(base, "_"+k+".txt"); found && n != "" {
			return n, k, true
		}
	}
	return "", "", false
}

// tuFiles lists the TU-named files among files.
func tuFiles(files graphFiles) []string {
	var out []string
	for _, f := range files.list() {
		if _, _, ok := tuFileKind(path.Base(f)); ok {
			out = append(out, f)
		}
	}
	return out
}

// listSome joins up to n items and says how many more there are.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// AmbiguousError reports a folder or archive that holds several datasets
// of one format, so that the loader cannot choose; set TUConfig.Name or
// GINConfig.Name to one of Names. It wraps ErrNotFound.
type AmbiguousError struct {
	Format string   // FormatTU or FormatGIN
	Names  []string // the datasets found, sorted
	Files  []string // their main files (NAME_A.txt, NAME/NAME.txt), in the order of Names
}

func (e *AmbiguousError) Error() string {
	field := "TUConfig.Name"
	kind := "TU datasets"
	if e.Format == FormatGIN {
		field, kind = "GINConfig.Name", "GIN-format datasets"
	}
	parts := make([]string, len(e.Names))
	for i, n := range e.Names {
		parts[i] = n + " (" + e.Files[i] + ")"
	}
	return fmt.Sprintf("several %s found: %s; choose one by name (%s)", kind, strings.Join(parts, ", "), field)
}

// Unwrap returns ErrNotFound: no single dataset was found.
func (e *AmbiguousError) Unwrap() error { return ErrNotFound }
