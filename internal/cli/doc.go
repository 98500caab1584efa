// Package cli is the subcommand dispatch the project's commands share
// (graphjepa, pointjepa): each subcommand lives in its own file of the
// command and registers itself in an init function.
//
// It also holds what every subcommand needs to treat its flags the same
// way:
//
//   - NewFlagSet: a flag.FlagSet whose --help prints the synopsis, the
//     flags and examples; App.Run makes help exit 0 on stdout.
//   - CheckRange, CheckChoice: range checks of numeric flags and choices
//     of string flags, with errors naming the flag and the valid values
//     ("--points -5: out of range, want 1 to 1048576").
//   - CheckMemory (with MulBytes, AvailableMemory, FormatBytes): refuse
//     sizes that would need more memory than is available, before any
//     work starts, with the estimate in the message.
//
// A subcommand's Run thus starts:
//
//	fs := cli.NewFlagSet("pointjepa data", cli.Help{
//		Synopsis: "pointjepa data [--data DIR] [flags]",
//		Examples: []string{"pointjepa data --data ../shared/data/pointclouds/modelnet40_npy1024 --json"},
//	}, stderr)
//	points := fs.Int("points", 1024, "points per cloud")
//	if err := fs.Parse(args); err != nil {
//		return err // flag.ErrHelp included: App.Run exits 0 for it
//	}
//	if err := cli.CheckRange("points", *points, 1, 1<<20); err != nil {
//		return err
//	}
//	if err := cli.CheckMemory(fmt.Sprintf("--points %d for %d clouds", *points, n),
//		cli.MulBytes(int64(n), int64(*points), 3*4)); err != nil {
//		return err
//	}
package cli
