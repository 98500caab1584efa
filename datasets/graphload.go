package datasets

import (
	"fmt"
	"os"
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
		if format, err = DetectGraphFormat(p); err != nil {
			return nil, err
		}
	}
	switch format {
	case FormatSynthetic:
		return SyntheticGraphs(cfg.Synthetic), nil
	case FormatTU:
		return LoadTU(p, cfg.TU)
	case FormatGIN:
		if st, err := os.Stat(p); err == nil && !st.IsDir() && strings.HasSuffix(p, ".txt") {
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

// DetectGraphFormat returns the format LoadGraphs would use for p.
func DetectGraphFormat(p string) (string, error) {
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
			return FormatGIN, nil
		case ".zip":
		default:
			return "", &ParseError{File: p, Err: fmt.Errorf("cannot tell the format from the name: want a folder, .zip, .pkl or .txt (or name the format)")}
		}
	}
	files, err := openGraphFiles(p)
	if err != nil {
		return "", err
	}
	defer files.Close()
	if _, _, err := findTU(files, ""); err == nil {
		return FormatTU, nil
	}
	if _, err := findGIN(files, ""); err == nil {
		return FormatGIN, nil
	}
	return "", &ParseError{File: p, Err: fmt.Errorf("%w: neither a TU dataset (NAME_A.txt, NAME_graph_indicator.txt, ...) nor a GIN-format dataset (NAME/NAME.txt) inside", ErrNotFound)}
}
