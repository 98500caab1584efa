// Command graphjepa pretrains, evaluates and inspects Graph-JEPA models.
//
// Usage:
//
//	graphjepa <command> [flags]
//
// Run "graphjepa help" for the list of commands.
package main

import (
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/nongrid/jepa/internal/cli"
)

var app = cli.App{Name: "graphjepa"}

// command is one subcommand; each lives in its own file and registers
// itself in an init function.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

func register(c command) { app.Register(cli.Command{Name: c.name, Summary: c.summary, Run: c.run}) }

func main() {
	// Training allocates large short-lived tensors each step: the collector
	// runs against a memory limit instead of GOGC=100 (cli.TuneGC). Not for
	// the other commands: parsing many small objects is faster with Go's
	// pacing than with fresh pages.
	if len(os.Args) > 1 && slices.Contains([]string{"pretrain", "reproduce", "bench", "quickstart", "eval", "embed", "finetune"}, os.Args[1]) && !cli.HelpRequested(os.Args[2:]) {
		fmt.Fprintf(os.Stderr, "graphjepa: %v\n", cli.TuneGC(os.Getenv, cli.AvailableMemory))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int { return app.Run(args, stdout, stderr) }
