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

// BenchmarkHIVPretrain is Parse plus the pretrain-gnns features of every
// atom and bond, written into node and edge feature lists as
// mol_to_graph_data_obj_simple builds them (each bond in both directions).
func BenchmarkHIVPretrain(b *testing.B) {
	var x [][2]int
	var ei [][2]int
	var ea [][2]int
	benchHIV(b, func(s string) bool {
		m, err := Parse(s)
		if err != nil {
			return false
		}
		x, ei, ea = x[:0], ei[:0], ea[:0]
		for a := range m.Atoms {
			f, err := m.PretrainAtom(a)
			if err != nil {
				return true // the reference raises here; parsed all the same
			}
			x = append(x, f)
		}
		for bi := range m.Bonds {
			f, err := m.PretrainBond(bi)
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

// BenchmarkHIVOGB is Parse plus OGB smiles2graph's features of every atom
// and bond (each bond in both directions).
func BenchmarkHIVOGB(b *testing.B) {
	var x [][9]int
	var ei [][2]int
	var ea [][3]int
	benchHIV(b, func(s string) bool {
		m, err := Parse(s)
		if err != nil {
			return false
		}
		x, ei, ea = x[:0], ei[:0], ea[:0]
		for a := range m.Atoms {
			x = append(x, m.OGBAtom(a))
		}
		for bi := range m.Bonds {
			f := m.OGBBond(bi)
			bd := &m.Bonds[bi]
			ei = append(ei, [2]int{bd.Begin, bd.End}, [2]int{bd.End, bd.Begin})
			ea = append(ea, f, f)
		}
		return true
	})
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
