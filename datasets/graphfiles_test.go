package datasets

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tinyTU is a valid two-graph TU set.
var tinyTU = map[string]string{
	"B/B_A.txt":               "1, 2\n2, 1\n3, 4\n4, 3\n",
	"B/B_graph_indicator.txt": "1\n1\n2\n2\n",
	"B/B_graph_labels.txt":    "0\n1\n",
}

// zipEntry is one entry of a hand-made archive: its stored bytes, method
// and the CRC-32 and size recorded for it (zero values: the true ones).
type zipEntry struct {
	name   string
	data   string // the content the entry should hold
	raw    []byte // stored bytes instead of compressing data (nil: compress data)
	crc    uint32 // recorded CRC-32 instead of data's
	size   uint64 // recorded uncompressed size instead of len(data)
	method uint16
	flags  uint16
}

func writeTestZip(t *testing.T, p string, entries []zipEntry) {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		raw := e.raw
		if raw == nil {
			var c bytes.Buffer
			fw, err := flate.NewWriter(&c, flate.DefaultCompression)
			require.NoError(t, err)
			_, err = fw.Write([]byte(e.data))
			require.NoError(t, err)
			require.NoError(t, fw.Close())
			raw = c.Bytes()
		}
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(e.data)), UncompressedSize64: uint64(len(e.data)), CompressedSize64: uint64(len(raw))}
		h.Flags = e.flags
		if e.method != 0 {
			h.Method = e.method
		}
		if e.crc != 0 {
			h.CRC32 = e.crc
		}
		if e.size != 0 {
			h.UncompressedSize64 = e.size
		}
		fw, err := w.CreateRaw(h)
		require.NoError(t, err)
		_, err = fw.Write(raw)
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
}

// TestDamagedZip: a damaged archive is reported as damaged, naming the
// entry, never as the malformed line its garbage would produce.
func TestDamagedZip(t *testing.T) {
	entries := func(a zipEntry) []zipEntry {
		var es []zipEntry
		for _, n := range []string{"B/B_graph_indicator.txt", "B/B_graph_labels.txt"} {
			es = append(es, zipEntry{name: n, data: tinyTU[n]})
		}
		a.name = "B/B_A.txt"
		if a.data == "" {
			a.data = tinyTU[a.name]
		}
		return append(es, a)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.zip")
	writeTestZip(t, good, entries(zipEntry{}))
	_, err := LoadTU(good, TUConfig{})
	require.NoError(t, err, "the base archive is valid")
	goodBytes, err := os.ReadFile(good)
	require.NoError(t, err)

	// Stored data that differs from what the CRC-32 was computed on: the
	// garbage parses into an out-of-range node id first.
	garbage := []byte("1, 2\n2, 1\n3, 9\n4, 3\n") // as long as the real data
	var gz bytes.Buffer
	fw, _ := flate.NewWriter(&gz, flate.DefaultCompression)
	fw.Write(garbage)
	fw.Close()

	cases := []struct {
		name  string
		write func(p string)
		file  string // suffix of ParseError.File
		msg   string
	}{
		{"CRC mismatch, garbage parses", func(p string) { writeTestZip(t, p, entries(zipEntry{raw: gz.Bytes()})) },
			"B/B_A.txt", "the archive is damaged: the unpacked data does not match the CRC-32 recorded in the archive; download or copy bad.zip again (loading had failed with: "},
		{"CRC mismatch, data parses", func(p string) { writeTestZip(t, p, entries(zipEntry{crc: 12345})) },
			"B/B_A.txt", "does not match the CRC-32"},
		{"corrupt deflate stream", func(p string) { writeTestZip(t, p, entries(zipEntry{raw: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}})) },
			"B/B_A.txt", "the compressed data is corrupt (flate: corrupt input"},
		{"unpacks short", func(p string) { writeTestZip(t, p, entries(zipEntry{size: 1000})) },
			"B/B_A.txt", "unpacks to fewer bytes than its recorded size"},
		{"unpacks long", func(p string) { writeTestZip(t, p, entries(zipEntry{size: 5})) },
			"B/B_A.txt", "unpacks to more bytes than its recorded size"},
		{"truncated archive", func(p string) { require.NoError(t, os.WriteFile(p, goodBytes[:len(goodBytes)/2], 0o644)) },
			"bad.zip", "the archive is damaged: not a valid zip archive"},
		{"not a zip at all", func(p string) { require.NoError(t, os.WriteFile(p, []byte("1, 2\n"), 0o644)) },
			"bad.zip", "the archive is damaged: not a valid zip archive"},
		{"encrypted entry", func(p string) { writeTestZip(t, p, entries(zipEntry{flags: 1})) },
			"B/B_A.txt", "the zip entry is encrypted, which Go's archive/zip cannot read"},
		{"unknown method", func(p string) { writeTestZip(t, p, entries(zipEntry{method: 99})) },
			"B/B_A.txt", "compression method Go's archive/zip cannot read"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "bad.zip")
			tc.write(p)
			for _, load := range []func() error{
				func() error { _, err := LoadTU(p, TUConfig{}); return err },
				func() error { _, err := LoadGraphs(p, GraphLoadConfig{}); return err },
			} {
				err := load()
				requireParseError(t, err, tc.file, 0, tc.msg)
				if tc.name != "unknown method" && tc.name != "encrypted entry" {
					assert.True(t, errors.Is(err, ErrDamagedArchive), "%v", err)
				}
			}
		})
	}
}
