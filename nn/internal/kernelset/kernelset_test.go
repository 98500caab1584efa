package kernelset

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRegistry(t *testing.T) {
	type set struct{ name string }
	fast, slow := &set{"fast"}, &set{"slow"}
	r := New("pkg", []*set{fast, slow}, func(s *set) string { return s.name })
	require.Same(t, fast, r.Current())
	require.Equal(t, "fast", r.Name())
	require.Equal(t, []string{"fast", "slow"}, r.Names())
	require.NoError(t, r.Set("slow"))
	require.Same(t, slow, r.Current())
	require.EqualError(t, r.Set("avx9"), `pkg: kernel "avx9" not available on this CPU (have fast, slow)`)
	require.Equal(t, "slow", r.Name())
	require.Panics(t, func() { New("pkg", []*set{}, func(s *set) string { return s.name }) })
}
