package mol

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
	"testing"
)

// hivPath is MoleculeNet's HIV set (41,127 SMILES), relative to this
// package's directory (the repository root's ../shared/data).
const hivPath = "../../../shared/data/molecules/moleculenet/hiv.csv.gz"

// hivSMILES reads the SMILES column of hivPath once, outside any timed
// loop; it skips the benchmark when the file is absent.
func hivSMILES(b *testing.B) []string {
	b.Helper()
	f, err := os.Open(hivPath)
	if errors.Is(err, fs.ErrNotExist) {
		b.Skipf("mol: %s is absent (the MoleculeNet CSVs live in ../shared/data outside the repository)", hivPath)
	}
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	cr := csv.NewReader(gz)
	cr.FieldsPerRecord = -1
	if _, err := cr.Read(); err != nil { // header: smiles,HIV_active
		b.Fatal(err)
	}
	var out []string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, strings.TrimSpace(rec[0]))
	}
	return out
}

// benchHIV runs work on every HIV SMILES per iteration and reports
// molecules/s; work returns false when a molecule fails to parse.
func benchHIV(b *testing.B, work func(string) bool) {
	smiles := hivSMILES(b)
	b.ReportAllocs()
	b.ResetTimer()
	fails := 0
	for b.Loop() {
		fails = 0
		for _, s := range smiles {
			if !work(s) {
				fails++
			}
		}
	}
	b.StopTimer()
	n := float64(len(smiles)) * float64(b.N)
	b.ReportMetric(n/b.Elapsed().Seconds(), "mol/s")
	b.ReportMetric(float64(fails), "unparsed")
}

// BenchmarkHIVParse is Parse (with RDKit's sanitisation) on all of HIV.
func BenchmarkHIVParse(b *testing.B) {
	benchHIV(b, func(s string) bool {
		_, err := Parse(s)
		return err == nil
	})
}

// benchFeatures runs Parse plus a featurizer on all of HIV: atom features
// into a node list, bond features and both directions of every bond into
// edge lists, as mol_to_graph_data_obj_simple and smiles2graph build them.
// A featurizer error (the reference raises) ends that molecule, which
// counts as parsed.
func benchFeatures[A, B any](b *testing.B, atom func(*Mol, int) (A, error), bond func(*Mol, int) (B, error)) {
	var x []A
	var ei [][2]int
	var ea []B
	benchHIV(b, func(s string) bool {
		m, err := Parse(s)
		if err != nil {
			return false
		}
		x, ei, ea = x[:0], ei[:0], ea[:0]
		for a := range m.Atoms {
			f, err := atom(m, a)
			if err != nil {
				return true
			}
			x = append(x, f)
		}
		for bi := range m.Bonds {
			f, err := bond(m, bi)
			if err != nil {
				return true
			}
			bd := &m.Bonds[bi]
			ei = append(ei, [2]int{bd.Begin, bd.End}, [2]int{bd.End, bd.Begin})
			ea = append(ea, f, f)
		}
		return true
	})
}

// BenchmarkHIVPretrain is Parse plus the pretrain-gnns features of every
// atom and bond.
func BenchmarkHIVPretrain(b *testing.B) {
	benchFeatures(b, (*Mol).PretrainAtom, (*Mol).PretrainBond)
}

// BenchmarkHIVOGB is Parse plus OGB smiles2graph's features of every atom
// and bond.
func BenchmarkHIVOGB(b *testing.B) {
	benchFeatures(b,
		func(m *Mol, a int) ([9]int, error) { return m.OGBAtom(a), nil },
		func(m *Mol, bi int) ([3]int, error) { return m.OGBBond(bi), nil })
}

// BenchmarkHIVScaffold is Parse plus ScaffoldKey (the Bemis–Murcko
// scaffold with chirality, canonicalised) on all of HIV.
func BenchmarkHIVScaffold(b *testing.B) {
	var keys int
	benchHIV(b, func(s string) bool {
		m, err := Parse(s)
		if err != nil {
			return false
		}
		keys += len(m.ScaffoldKey())
		return true
	})
}
