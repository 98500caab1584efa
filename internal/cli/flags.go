package cli

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Help is what a subcommand's --help prints besides its flags.
type Help struct {
	// Synopsis is the command line shape, e.g.
	// "graphjepa data --data PATH_OR_NAME [flags]".
	Synopsis string
	// Text is an optional paragraph after the synopsis.
	Text string
	// Examples are complete command lines, at least one.
	Examples []string
}

// NewFlagSet returns a flag.FlagSet for a subcommand that reports errors
// (flag.ContinueOnError) and whose usage, printed to stderr for -h/--help
// or a bad flag, is the synopsis, the text, the flags and the examples.
// Return the error of Parse as is: App.Run turns flag.ErrHelp into exit
// status 0 and sends the usage to stdout when help was asked for.
func NewFlagSet(name string, h Help, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: %s\n", h.Synopsis)
		if h.Text != "" {
			fmt.Fprintf(w, "\n%s\n", h.Text)
		}
		fmt.Fprintln(w, "\nflags:")
		fs.PrintDefaults()
		if len(h.Examples) > 0 {
			fmt.Fprintln(w, "\nexamples:")
			for _, e := range h.Examples {
				fmt.Fprintf(w, "  %s\n", e)
			}
		}
	}
	return fs
}

// Number is the set of flag value types CheckRange accepts.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr |
		~float32 | ~float64
}

// CheckRange returns nil if lo ≤ v ≤ hi, and otherwise an error naming the
// flag, its value and the valid range, e.g.
//
//	--points -5: out of range, want 1 to 1048576
//
// NaN and ±Inf are always out of range. name is the flag's name with or
// without its dashes ("points" or "--points"). Check every numeric flag
// this way right after Parse, before any work starts; a flag whose 0 means
// "the default" is checked as `if v != 0 { CheckRange(...) }` or with lo 0.
func CheckRange[T Number](name string, v, lo, hi T) error {
	f := float64(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("%s %v: not a finite number, want %v to %v", flagName(name), v, lo, hi)
	}
	if v < lo || v > hi {
		return fmt.Errorf("%s %v: out of range, want %v to %v", flagName(name), v, lo, hi)
	}
	return nil
}

// CheckChoice returns nil if v is one of choices, and otherwise an error
// naming the flag and listing the valid values.
func CheckChoice(name, v string, choices ...string) error {
	for _, c := range choices {
		if v == c {
			return nil
		}
	}
	return fmt.Errorf("%s %q: want one of %s", flagName(name), v, strings.Join(choices, ", "))
}

func flagName(name string) string { return "--" + strings.TrimLeft(name, "-") }

// AvailableMemory returns the memory this process can still allocate, in
// bytes: MemAvailable of /proc/meminfo, lowered to what a cgroup (v2
// memory.max − memory.current, v1 limit_in_bytes − usage_in_bytes) still
// allows. ok is false where neither is readable (not Linux).
func AvailableMemory() (bytes uint64, ok bool) {
	bytes, ok = memAvailable("/proc/meminfo")
	for _, p := range [][2]string{
		{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"},
		{"/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"},
	} {
		limit, ok1 := readUintFile(p[0])
		used, ok2 := readUintFile(p[1])
		if !ok1 || !ok2 || limit >= 1<<60 || used > limit {
			continue
		}
		if free := limit - used; !ok || free < bytes {
			bytes, ok = free, true
		}
	}
	return bytes, ok
}

// availableMemory is AvailableMemory, replaceable in tests.
var availableMemory = AvailableMemory

// CheckMemory returns an error when need bytes exceed the memory
// available (AvailableMemory), naming what needs it and both sizes, e.g.
//
//	--points 100000000: 12311 clouds × 100000000 points × 3 float32 would need about 13.4 TiB of memory; 21.3 GiB are available
//
// what should say which flag values lead to the estimate and how. Where
// the available memory is unknown, only estimates beyond 1 PiB are
// refused. Call it after the range checks and before allocating.
func CheckMemory(what string, need uint64) error {
	avail, ok := availableMemory()
	if !ok {
		if need <= 1<<50 {
			return nil
		}
		return fmt.Errorf("%s would need about %s of memory", what, FormatBytes(need))
	}
	if need <= avail {
		return nil
	}
	return fmt.Errorf("%s would need about %s of memory; %s are available", what, FormatBytes(need), FormatBytes(avail))
}

// MulBytes returns the product of its factors (element counts and the
// element size), saturating at math.MaxUint64 instead of overflowing,
// for memory estimates from flag values. A negative factor counts as 0.
func MulBytes(factors ...int64) uint64 {
	p := uint64(1)
	for _, f := range factors {
		if f <= 0 {
			return 0
		}
		if p > math.MaxUint64/uint64(f) {
			return math.MaxUint64
		}
		p *= uint64(f)
	}
	return p
}

// FormatBytes prints a byte count with a binary unit: "512 B", "1.5 KiB",
// "13.4 TiB".
func FormatBytes(b uint64) string {
	const units = "KMGTPE"
	if b < 1024 {
		return strconv.FormatUint(b, 10) + " B"
	}
	f, i := float64(b)/1024, 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	return fmt.Sprintf("%.1f %ciB", f, units[i])
}

func memAvailable(path string) (uint64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
		if err != nil {
			return 0, false
		}
		return kb * 1024, true
	}
	return 0, false
}

func readUintFile(path string) (uint64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	return v, err == nil
}
