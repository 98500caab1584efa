// Package shareddata locates the real benchmark data tests read: the folder
// ../shared/data next to the repository root (the directory holding go.mod).
// The data is never copied into the repository.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns ../shared/data/<rel...> seen from the repository root, found
// by walking up from the test's working directory (its package directory).
// It skips the test, saying what is missing, when the folder is absent.
func Dir(t testing.TB, rel ...string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("shareddata: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shareddata: go.mod not found above the package directory")
		}
		dir = parent
	}
	p := filepath.Join(append([]string{dir, "..", "shared", "data"}, rel...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shareddata: %s absent (benchmark data lives in ../shared/data)", p)
	}
	return p
}
