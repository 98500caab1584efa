package cli

import (
	"fmt"
	"io"

	"github.com/nongrid/jepa/jepa"
)

// PlotCommand is the "plot" subcommand both commands share: it redraws the
// PNG plots of a run directory from its metrics.jsonl (jepa.PlotRun).
func PlotCommand(app string) Command {
	return Command{
		Name:    "plot",
		Summary: "draw the loss and monitor plots of a run directory (runs/<name>/plots/*.png)",
		Run: func(args []string, stdout, stderr io.Writer) error {
			fs := NewFlagSet(app+" plot", Help{
				Synopsis: app + " plot --run DIR",
				Examples: []string{app + " plot --run runs/mutag-s0"},
			}, stderr)
			run := fs.String("run", "", "run directory holding metrics.jsonl (required)")
			if err := fs.Parse(args); err != nil {
				return err
			}
			if *run == "" {
				return fmt.Errorf("--run is required")
			}
			files, err := jepa.PlotRun(*run)
			if err != nil {
				return err
			}
			for _, f := range files {
				fmt.Fprintln(stdout, f)
			}
			return nil
		},
	}
}
