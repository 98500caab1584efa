package main

import (
	"fmt"
	"io"
)

func init() {
	register(command{
		name:    "quickstart",
		summary: "pretrain and evaluate Graph-JEPA on the embedded synthetic default (not yet)",
		run:     runQuickstart,
	})
}

// runQuickstart is the README's first command. Graph-JEPA pretraining lands
// with its own issue; until then it says so and points at what works.
func runQuickstart(args []string, stdout, _ io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("quickstart takes no arguments, got %q", args)
	}
	fmt.Fprintln(stdout, "graphjepa quickstart: not yet — Graph-JEPA pretraining and evaluation land with their own issue.")
	fmt.Fprintln(stdout, "What works today: `go run ./cmd/graphjepa data --data synthetic --json` (the embedded default set)")
	fmt.Fprintln(stdout, "and `go test ./...` (engine, datasets, probes, monitors).")
	return nil
}
