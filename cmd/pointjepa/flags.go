package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strconv"
	"strings"
)

// usage describes a subcommand for its --help text.
type usage struct {
	name     string // "eval"
	synopsis string // "[flags]"
	about    string // a paragraph
	examples []string
}

// parseFlags parses args into fs. With -h or --help it prints the usage
// (synopsis, description, flags, examples) to stdout and returns done; a
// parse error prints the usage to stderr and is returned. Positional
// arguments are an error.
func parseFlags(fs *flag.FlagSet, args []string, u usage, stdout, stderr io.Writer) (done bool, err error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, fs, u)
		return true, nil
	}
	if err != nil {
		printUsage(stderr, fs, u)
		return false, err
	}
	if fs.NArg() > 0 {
		return false, fmt.Errorf("unexpected arguments %q (flags start with --; see pointjepa %s --help)", fs.Args(), u.name)
	}
	return false, nil
}

func printUsage(w io.Writer, fs *flag.FlagSet, u usage) {
	fmt.Fprintf(w, "usage: pointjepa %s %s\n\n%s\n\nflags:\n", u.name, u.synopsis, u.about)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	if len(u.examples) > 0 {
		fmt.Fprintf(w, "\nexamples:\n")
		for _, e := range u.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
}

// writeJSON prints v as one indented JSON object on w.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// intRange checks an integer flag: lo ≤ v ≤ hi.
func intRange(flagName string, v, lo, hi int, what string) error {
	if v < lo || v > hi {
		return fmt.Errorf("--%s %d: want %d..%d (%s)", flagName, v, lo, hi, what)
	}
	return nil
}

// floatRange checks a float flag: lo ≤ v ≤ hi and finite.
func floatRange(flagName string, v, lo, hi float64, what string) error {
	if math.IsNaN(v) || v < lo || v > hi {
		return fmt.Errorf("--%s %v: want %v..%v (%s)", flagName, v, lo, hi, what)
	}
	return nil
}

// machineMemory returns the machine's physical memory in bytes (MemTotal of
// /proc/meminfo), or 0 when it cannot tell.
func machineMemory() uint64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// fallbackMemory is the limit used when machineMemory cannot tell.
const fallbackMemory = 64 << 30

// checkMemory refuses work whose estimated memory exceeds the machine's.
// what says what the estimate is of (it names the flag).
func checkMemory(estimate float64, what string) error {
	limit := float64(machineMemory())
	where := "this machine's memory"
	if limit == 0 {
		limit, where = fallbackMemory, "the assumed 64 GiB"
	}
	if estimate > limit {
		return fmt.Errorf("%s would need about %s, more than %s (%s); choose a smaller value", what, humanBytes(estimate), where, humanBytes(limit))
	}
	return nil
}

// humanBytes formats a byte count as "1.5 GiB".
func humanBytes(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f B", b)
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}

// commandContext is cancelled by an interrupt (Ctrl-C), so a long command
// stops between batches instead of being killed mid-write.
func commandContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

// jsonFloat is a float64 that marshals NaN and ±Inf, which JSON numbers
// cannot hold, as null.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}
