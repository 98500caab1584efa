// Command molfeatures parses the SMILES of a CSV file (.csv or .csv.gz,
// SMILES in the column named by -col or the first column) and writes one
// JSON object per row with the perceived atom and bond properties and the
// Bemis–Murcko scaffold key, for scripts/rdkit_compare.py.
//
//	go run ./datasets/mol/internal/molfeatures -in bbbp.csv > ours.jsonl
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/nongrid/jepa/datasets/mol"
)

type row struct {
	I        int     `json:"i"`
	SMILES   string  `json:"smiles"`
	Err      string  `json:"err,omitempty"`
	Atoms    [][]int `json:"atoms,omitempty"`
	Bonds    [][]int `json:"bonds,omitempty"`
	Scaffold string  `json:"scaffold"`
	// Featurizer outputs: pretrain-gnns (a) and OGB (b), per atom / bond
	// in bond index order; PretrainErr when the reference would raise.
	PA          [][2]int `json:"pa,omitempty"`
	PB          [][2]int `json:"pb,omitempty"`
	PretrainErr string   `json:"pretrain_err,omitempty"`
	OA          [][9]int `json:"oa,omitempty"`
	OB          [][3]int `json:"ob,omitempty"`
}

func main() {
	in := flag.String("in", "", "CSV or CSV.gz file")
	col := flag.String("col", "", "SMILES column name (default: first column)")
	flag.Parse()
	if err := run(*in, *col); err != nil {
		fmt.Fprintln(os.Stderr, "molfeatures:", err)
		os.Exit(1)
	}
}

func run(path, col string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return err
		}
		r = gz
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return err
	}
	ci := 0
	for i, h := range header {
		if h == col {
			ci = i
		}
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for i := 0; ; i++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		s := strings.TrimSpace(rec[ci])
		o := row{I: i, SMILES: s}
		m, err := mol.Parse(s)
		if err != nil {
			o.Err = err.Error()
		} else {
			for a := range m.Atoms {
				at := &m.Atoms[a]
				o.Atoms = append(o.Atoms, []int{at.Element, int(at.Chiral), m.Degree(a), at.Charge, at.NumHs, at.Radicals, int(at.Hybrid), b2i(at.Aromatic), b2i(at.InRing)})
			}
			for _, b := range m.Bonds {
				o.Bonds = append(o.Bonds, []int{b.Begin, b.End, int(b.Type), int(b.Dir), int(b.Stereo), b2i(b.Conjugated), b2i(b.InRing)})
			}
			o.Scaffold = m.ScaffoldKey()
			for a := range m.Atoms {
				f, err := m.PretrainAtom(a)
				if err != nil {
					o.PretrainErr = err.Error()
				}
				o.PA = append(o.PA, f)
				o.OA = append(o.OA, m.OGBAtom(a))
			}
			for b := range m.Bonds {
				f, err := m.PretrainBond(b)
				if err != nil {
					o.PretrainErr = err.Error()
				}
				o.PB = append(o.PB, f)
				o.OB = append(o.OB, m.OGBBond(b))
			}
		}
		if err := enc.Encode(&o); err != nil {
			return err
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
