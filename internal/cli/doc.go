// Package cli is the subcommand dispatch the project's commands share
// (graphjepa, pointjepa): each subcommand lives in its own file of the
// command and registers itself in an init function.
package cli
