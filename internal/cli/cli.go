package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	// Run executes the subcommand with its arguments (the subcommand name
	// removed). An error is printed and makes the process exit with 1;
	// flag.ErrHelp (what a flag.FlagSet returns for -h, -help and --help)
	// is not an error: the process exits 0.
	Run func(args []string, stdout, stderr io.Writer) error
	// Example is one command line shown by "APP help NAME" when the
	// subcommand does not print its own usage (one without a FlagSet);
	// optional. Subcommands with flags show theirs through NewFlagSet.
	Example string
}

// App is a command made of subcommands.
type App struct {
	Name     string
	commands map[string]Command
}

// Register adds c. It panics on a duplicate name (a programmer error).
func (a *App) Register(c Command) {
	if a.commands == nil {
		a.commands = make(map[string]Command)
	}
	if _, dup := a.commands[c.Name]; dup {
		panic(a.Name + ": duplicate command " + c.Name)
	}
	a.commands[c.Name] = c
}

// Run dispatches args[0] to its subcommand and returns the exit code: 0 on
// success and for help, 1 when the subcommand fails, 2 for a usage error
// (no or an unknown subcommand).
//
// Help: "APP", "APP help", "-h" and "--help" list the subcommands; "APP
// help NAME" is "APP NAME --help". When a subcommand's arguments ask for
// help (-h, -help or --help before any "--"), the subcommand runs with
// stdout as its stderr, so that the usage its FlagSet prints lands on
// stdout, and the process exits 0 whether the subcommand returns
// flag.ErrHelp, nil, or (for a subcommand without flags) any other error;
// in the last case the dispatcher prints "usage: APP NAME", the summary and
// an example itself (Command.Example, else "APP NAME"). A usage without an
// example gets Command.Example appended.
func (a *App) Run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || (args[0] == "help" && len(args) == 1) {
		w := stdout
		if len(args) == 0 {
			w = stderr
		}
		a.usage(w)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "help" {
		args = []string{args[1], "--help"}
	}
	c, ok := a.commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q\n", a.Name, args[0])
		a.usage(stderr)
		return 2
	}
	if HelpRequested(args[1:]) {
		var buf bytes.Buffer
		err := c.Run(args[1:], &buf, &buf)
		handled := err == nil || errors.Is(err, flag.ErrHelp)
		if !handled || buf.Len() == 0 {
			// A subcommand without flags: its output (if any) is not help.
			buf.Reset()
			fmt.Fprintf(&buf, "usage: %s %s\n\n%s\n", a.Name, c.Name, c.Summary)
		}
		if low := strings.ToLower(buf.String()); !strings.Contains(low, "example:") && !strings.Contains(low, "examples:") {
			switch ex := c.Example; {
			case ex != "":
				fmt.Fprintf(&buf, "\nexample:\n  %s\n", ex)
			case !handled || buf.Len() == 0:
				fmt.Fprintf(&buf, "\nexample:\n  %s %s\n", a.Name, c.Name)
			}
		}
		stdout.Write(buf.Bytes())
		return 0
	}
	if err := c.Run(args[1:], stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "%s %s: %v\n", a.Name, c.Name, err)
		return 1
	}
	return 0
}

// HelpRequested reports whether args ask for help the way package flag
// understands it: -h, -help or --help (also =true) anywhere before a "--".
// (It cannot tell a flag's value "-h" from the flag; that case shows the
// help too.)
func HelpRequested(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help", "--h", "-h=true", "-help=true", "--help=true", "--h=true":
			return true
		case "--":
			return false
		}
	}
	return false
}

// Names returns the names of the registered subcommands, sorted.
func (a *App) Names() []string {
	names := make([]string, 0, len(a.commands))
	for n := range a.commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (a *App) usage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s <command> [flags]\n\ncommands:\n", a.Name)
	for _, n := range a.Names() {
		fmt.Fprintf(w, "  %-10s %s\n", n, a.commands[n].Summary)
	}
	fmt.Fprintf(w, "\nRun \"%s help <command>\" (or \"%s <command> --help\") for its flags and an example.\n", a.Name, a.Name)
}
