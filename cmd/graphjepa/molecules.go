package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/datasets/split"
	"github.com/nongrid/jepa/internal/cli"
)

// formatMolecules is the --format value of SMILES files: a MoleculeNet-style
// CSV (.csv, .csv.gz) or one SMILES per line (.smi, .smiles, .txt).
const formatMolecules = "molecules"

// isMoleculeFile reports whether path is read as molecules: --format
// molecules, or a name ending in .csv, .csv.gz, .smi or .smiles.
func isMoleculeFile(path, format string) bool {
	if format == formatMolecules {
		return true
	}
	if format != "" {
		return false
	}
	p := strings.ToLower(strings.TrimSuffix(strings.ToLower(path), ".gz"))
	return strings.HasSuffix(p, ".csv") || strings.HasSuffix(p, ".smi") || strings.HasSuffix(p, ".smiles")
}

// parseMolFeatures maps --mol-features to the featuriser.
func parseMolFeatures(s string) (datasets.MoleculeFeatures, error) {
	if err := cli.CheckChoice("mol-features", s, "pretrain-gnns", "ogb"); err != nil {
		return 0, err
	}
	if s == "ogb" {
		return datasets.FeaturesOGB, nil
	}
	return datasets.FeaturesPretrainGNN, nil
}

// loadMolecules reads a SMILES file into a molecule set.
func loadMolecules(path, features, smilesColumn string) (*datasets.MoleculeSet, error) {
	f, err := parseMolFeatures(features)
	if err != nil {
		return nil, err
	}
	return datasets.LoadMolecules(path, datasets.MoleculeNetConfig{SMILESColumn: smilesColumn, Features: f})
}

// moleculeSummary is what "graphjepa data --json" prints for a SMILES file:
// the loader's description and the sizes of the scaffold split.
type moleculeSummary struct {
	datasets.MoleculeStats
	ScaffoldSplit struct {
		Train int `json:"train"`
		Valid int `json:"valid"`
		Test  int `json:"test"`
	} `json:"scaffold_split"`
}

// runMoleculeData is "graphjepa data" on a SMILES file.
func runMoleculeData(s *datasets.MoleculeSet, asJSON bool, stdout, stderr io.Writer) error {
	for _, u := range s.Unparsable {
		fmt.Fprintf(stderr, "graphjepa data: %s:%d: not used: %s (%s)\n", s.Name, u.Line, u.Err, u.SMILES)
	}
	var sum moleculeSummary
	sum.MoleculeStats = s.Describe()
	sp, err := split.ScaffoldSplit(s.ScaffoldKeys(), split.MoleculeSplitConfig{})
	if err != nil {
		return err
	}
	sum.ScaffoldSplit.Train, sum.ScaffoldSplit.Valid, sum.ScaffoldSplit.Test = len(sp.Train), len(sp.Valid), len(sp.Test)
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	row := func(k string, v any) { fmt.Fprintf(tw, "%s\t%v\n", k, v) }
	row("dataset", s.Name)
	row("rows", fmt.Sprintf("%d (%d molecules, %d unparsable)", sum.Rows, sum.Molecules, sum.Unparsable))
	row("atoms", fmt.Sprintf("%d (avg %.2f per molecule)", sum.Atoms, float64(sum.Atoms)/float64(max(1, sum.Molecules))))
	row("bonds", sum.Bonds)
	row("features", fmt.Sprintf("%s: %d node, %d edge columns", sum.Features, s.F, s.EF))
	kind := "regression"
	if sum.Classification {
		kind = "classification"
	}
	row("tasks", fmt.Sprintf("%d (%s)", sum.Tasks, kind))
	for _, b := range sum.Balance {
		if sum.Classification {
			row("  "+b.Task, fmt.Sprintf("%d positive, %d negative, %d missing", b.Positive, b.Negative, b.Missing))
		} else {
			row("  "+b.Task, fmt.Sprintf("mean %.4g, %d missing", b.Mean, b.Missing))
		}
	}
	row("scaffold split", fmt.Sprintf("%d / %d / %d (train / valid / test, 80/10/10 by Bemis–Murcko scaffold)",
		sum.ScaffoldSplit.Train, sum.ScaffoldSplit.Valid, sum.ScaffoldSplit.Test))
	return tw.Flush()
}

// isMoleculeList reports whether --data lists several molecule files
// (comma-separated), read as their deduplicated union.
func isMoleculeList(data, format string) bool {
	if !strings.Contains(data, ",") {
		return false
	}
	for _, p := range strings.Split(data, ",") {
		if !isMoleculeFile(strings.TrimSpace(p), format) {
			return false
		}
	}
	return true
}

// moleculeUnion is the "union" part of pretrain's summary.
type moleculeUnion struct {
	Files       []string             `json:"files"`
	ExcludeTest string               `json:"exclude_test,omitempty"` // the split whose test molecules were left out
	Molecules   int                  `json:"molecules"`
	Parts       []datasets.UnionPart `json:"parts"`
}

// loadMoleculeUnion reads the comma-separated molecule files of list and
// returns their union, every molecule once (datasets.UnionMolecules); with
// excludeTest (a --split name) the molecules of every file's test split
// under that split (seed 0) are left out of it, wherever they occur.
func loadMoleculeUnion(list, excludeTest string, stderr io.Writer) (*datasets.MoleculeSet, *moleculeUnion, error) {
	var sets []*datasets.MoleculeSet
	var keys [][]string
	exclude := map[string]bool{}
	info := &moleculeUnion{ExcludeTest: excludeTest}
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		ms, err := loadMolecules(p, "pretrain-gnns", "")
		if err != nil {
			return nil, nil, err
		}
		for _, u := range ms.Unparsable {
			fmt.Fprintf(stderr, "graphjepa: %s:%d: not used: %s (%s)\n", ms.Name, u.Line, u.Err, u.SMILES)
		}
		k := ms.CanonicalKeys()
		if excludeTest != "" {
			sp, err := moleculeSplit(ms, excludeTest, 0)
			if err != nil {
				return nil, nil, fmt.Errorf("--exclude-test %s on %s: %w", excludeTest, p, err)
			}
			for _, i := range sp.Test {
				exclude[k[i]] = true
			}
		}
		sets, keys = append(sets, ms), append(keys, k)
		info.Files = append(info.Files, p)
	}
	u, _, parts, err := datasets.UnionMolecules(datasets.MoleculeUnionName, sets, keys, exclude)
	if err != nil {
		return nil, nil, fmt.Errorf("--data %s: %w", list, err)
	}
	info.Parts, info.Molecules = parts, len(u.Graphs)
	for _, pt := range parts {
		fmt.Fprintf(stderr, "graphjepa: union: %s: %d molecules, %d kept, %d duplicates, %d excluded (test split)\n",
			pt.Name, pt.Molecules, pt.Kept, pt.Duplicate, pt.Excluded)
	}
	return u, info, nil
}
