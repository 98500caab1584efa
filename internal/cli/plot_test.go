package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPlotCommand(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	for i := 1; i <= 5; i++ {
		lines = append(lines, `{"kind":"step","step":`+string(rune('0'+i))+`,"epoch":0,"loss":`+string(rune('0'+6-i))+`}`)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "metrics.jsonl"), []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	var out, errb bytes.Buffer
	cmd := PlotCommand("tool")
	require.NoError(t, cmd.Run([]string{"--run", dir}, &out, &errb))
	require.Contains(t, out.String(), "loss.png")
	st, err := os.Stat(filepath.Join(dir, "plots", "loss.png"))
	require.NoError(t, err)
	require.Positive(t, st.Size())

	require.ErrorContains(t, cmd.Run(nil, &out, &errb), "--run is required")
	require.Error(t, cmd.Run([]string{"--run", filepath.Join(dir, "missing")}, &out, &errb))
}
