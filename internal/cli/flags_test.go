package cli

import (
	"bytes"
	"flag"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckRange(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string // "" for no error
	}{
		{"int in range", CheckRange("points", 1024, 1, 1<<20), ""},
		{"int at bounds", CheckRange("points", 1, 1, 1), ""},
		{"negative", CheckRange("points", -5, 1, 1<<20), "--points -5: out of range, want 1 to 1048576"},
		{"too large", CheckRange("--points", 100000000, 1, 1<<20), "--points 100000000: out of range, want 1 to 1048576"},
		{"uint", CheckRange("fold-seed", uint(1<<33), 0, math.MaxUint32), "--fold-seed 8589934592: out of range, want 0 to 4294967295"},
		{"float", CheckRange("lr", 2.5, 0, 1), "--lr 2.5: out of range, want 0 to 1"},
		{"NaN", CheckRange("lr", math.NaN(), 0, 1), "--lr NaN: not a finite number, want 0 to 1"},
		{"Inf", CheckRange("lr", math.Inf(1), 0, math.MaxFloat64), "--lr +Inf: not a finite number"},
		{"float32", CheckRange("ema", float32(0.5), 0, 1), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == "" {
				assert.NoError(t, tc.err)
				return
			}
			require.Error(t, tc.err)
			assert.Contains(t, tc.err.Error(), tc.want)
		})
	}
}

func TestCheckChoice(t *testing.T) {
	assert.NoError(t, CheckChoice("tags", "shift-min", "first-seen", "shift-min"))
	err := CheckChoice("--tags", "bogus", "first-seen", "shift-min")
	require.Error(t, err)
	assert.Equal(t, `--tags "bogus": want one of first-seen, shift-min`, err.Error())
}

func TestCheckMemory(t *testing.T) {
	defer func(f func() (uint64, bool)) { availableMemory = f }(availableMemory)
	availableMemory = func() (uint64, bool) { return 2 << 30, true }
	cases := []struct {
		name string
		need uint64
		want string
	}{
		{"fits", 1 << 30, ""},
		{"exactly", 2 << 30, ""},
		{"too much", MulBytes(12311, 100000000, 3, 4), "--points 100000000 would need about 13.4 TiB of memory; 2.0 GiB are available"},
		{"overflow saturates", MulBytes(math.MaxInt64, math.MaxInt64), "would need about 16.0 EiB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckMemory("--points 100000000", tc.need)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	availableMemory = func() (uint64, bool) { return 0, false }
	assert.NoError(t, CheckMemory("x", 1<<40))
	assert.Error(t, CheckMemory("x", 1<<51))
	assert.Equal(t, uint64(0), MulBytes(5, -1))
}

func TestAvailableMemory(t *testing.T) {
	b, ok := AvailableMemory()
	if !ok {
		t.Skip("no /proc/meminfo")
	}
	assert.Greater(t, b, uint64(1<<20))
}

func TestFormatBytes(t *testing.T) {
	for b, want := range map[uint64]string{0: "0 B", 1023: "1023 B", 1536: "1.5 KiB", 3 << 30: "3.0 GiB"} {
		assert.Equal(t, want, FormatBytes(b))
	}
}

// TestHelpExitsZero: every way of asking a subcommand for help exits 0,
// prints the usage with its example on stdout and nothing on stderr, for
// a subcommand that returns flag.ErrHelp, one that swallows it, and one
// without flags.
func TestHelpExitsZero(t *testing.T) {
	var a App
	a.Name = "tool"
	withFlags := func(swallow bool) func([]string, io.Writer, io.Writer) error {
		return func(args []string, stdout, stderr io.Writer) error {
			fs := NewFlagSet("tool x", Help{Synopsis: "tool x --n N", Examples: []string{"tool x --n 3"}}, stderr)
			n := fs.Int("n", 1, "count")
			if err := fs.Parse(args); err != nil {
				if swallow && err == flag.ErrHelp {
					return nil
				}
				return err
			}
			return CheckRange("n", *n, 1, 10)
		}
	}
	a.Register(Command{Name: "x", Summary: "returns ErrHelp", Run: withFlags(false)})
	a.Register(Command{Name: "y", Summary: "swallows ErrHelp", Run: withFlags(true)})
	a.Register(Command{Name: "z", Summary: "no flags", Example: "tool z", Run: func(args []string, _, _ io.Writer) error {
		if len(args) > 0 {
			return flag.ErrHelp // stand-in for "takes no arguments"
		}
		return nil
	}})
	a.Register(Command{Name: "w", Summary: "rejects arguments", Example: "tool w", Run: func(args []string, _, _ io.Writer) error {
		if len(args) > 0 {
			return io.ErrUnexpectedEOF
		}
		return nil
	}})
	a.Register(Command{Name: "v", Summary: "no example of its own", Run: func(args []string, _, _ io.Writer) error {
		if len(args) > 0 {
			return io.ErrUnexpectedEOF
		}
		return nil
	}})
	a.Register(Command{Name: "u", Summary: "plain FlagSet", Example: "tool u --k 2", Run: func(args []string, _, stderr io.Writer) error {
		fs := flag.NewFlagSet("u", flag.ContinueOnError)
		fs.SetOutput(stderr)
		fs.Int("k", 0, "k")
		return fs.Parse(args)
	}})
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"x", "--help"}, "usage: tool x --n N"},
		{[]string{"x", "-h"}, "tool x --n 3"},
		{[]string{"x", "--n", "3", "-help"}, "-n int"},
		{[]string{"y", "--help"}, "examples:\n  tool x --n 3"},
		{[]string{"help", "x"}, "usage: tool x --n N"},
		{[]string{"w", "--help"}, "usage: tool w\n\nrejects arguments\n\nexample:\n  tool w"},
		{[]string{"z", "-h"}, "usage: tool z\n\nno flags\n\nexample:\n  tool z"},
		{[]string{"v", "--help"}, "usage: tool v\n\nno example of its own\n\nexample:\n  tool v"},
		{[]string{"u", "--help"}, "Usage of u:\n  -k int\n    \tk\n\nexample:\n  tool u --k 2"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			require.Equal(t, 0, a.Run(tc.args, &out, &errb), errb.String())
			assert.Empty(t, errb.String())
			assert.Contains(t, out.String(), tc.want)
		})
	}
	// A range error still fails, naming the flag.
	var out, errb bytes.Buffer
	require.Equal(t, 1, a.Run([]string{"x", "--n", "0"}, &out, &errb))
	assert.Contains(t, errb.String(), "tool x: --n 0: out of range, want 1 to 10")
	// A bad flag is a failure with the usage on stderr.
	errb.Reset()
	require.Equal(t, 1, a.Run([]string{"x", "--bogus"}, &out, &errb))
	assert.Contains(t, errb.String(), "flag provided but not defined: -bogus")
	assert.Contains(t, errb.String(), "usage: tool x --n N")
	// "help" with an unknown command is a usage error.
	require.Equal(t, 2, a.Run([]string{"help", "nope"}, &out, &errb))
	// "--" ends the flags: -h after it is an argument, not a help request.
	assert.False(t, HelpRequested([]string{"--", "-h"}))
	assert.True(t, HelpRequested([]string{"--data", "d", "--help=true"}))
}
