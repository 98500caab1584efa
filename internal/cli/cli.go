package cli

import (
	"fmt"
	"io"
	"sort"
)

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	// Run executes the subcommand with its arguments (the subcommand name
	// removed). An error is printed and makes the process exit with 1.
	Run func(args []string, stdout, stderr io.Writer) error
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
// success (and for help), 1 when the subcommand fails, 2 for a usage error.
func (a *App) Run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
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
	c, ok := a.commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q\n", a.Name, args[0])
		a.usage(stderr)
		return 2
	}
	if err := c.Run(args[1:], stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "%s %s: %v\n", a.Name, c.Name, err)
		return 1
	}
	return 0
}

func (a *App) usage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s <command> [flags]\n\ncommands:\n", a.Name)
	names := make([]string, 0, len(a.commands))
	for n := range a.commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, a.commands[n].Summary)
	}
}
