package cli

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAppRun(t *testing.T) {
	var a App
	a.Name = "tool"
	a.Register(Command{Name: "ok", Summary: "works", Run: func(args []string, stdout, _ io.Writer) error {
		_, err := stdout.Write([]byte("ran with " + args[0]))
		return err
	}})
	a.Register(Command{Name: "fail", Summary: "fails", Run: func([]string, io.Writer, io.Writer) error {
		return errors.New("boom")
	}})
	var out, errb bytes.Buffer
	require.Equal(t, 0, a.Run([]string{"ok", "x"}, &out, &errb))
	require.Equal(t, "ran with x", out.String())
	require.Equal(t, 1, a.Run([]string{"fail"}, &out, &errb))
	require.Contains(t, errb.String(), "tool fail: boom")
	errb.Reset()
	require.Equal(t, 2, a.Run([]string{"nope"}, &out, &errb))
	require.Contains(t, errb.String(), `unknown command "nope"`)
	require.Contains(t, errb.String(), "fail       fails")
	out.Reset()
	require.Equal(t, 0, a.Run([]string{"help"}, &out, &errb))
	require.Contains(t, out.String(), "ok         works")
	require.Equal(t, 2, a.Run(nil, &out, &errb))
	require.Equal(t, []string{"fail", "ok"}, a.Names())
	require.Panics(t, func() { a.Register(Command{Name: "ok"}) })
}
