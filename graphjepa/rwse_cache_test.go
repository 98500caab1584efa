package graphjepa

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRWSECacheReusesAndNoticesEdits(t *testing.T) {
	set := tinySet()
	g := set.Graphs[3]
	const steps = 7
	key := rwseKey{uintptr(unsafe.Pointer(g)), steps}
	want := RWSE(g, steps)

	var s rwseScratch
	dst := make([]float32, len(want))
	cachedRWSE(&s, dst, g, steps)
	assert.Equal(t, want, dst)
	rwseCache.Lock()
	e, ok := rwseCache.m[key]
	rwseCache.Unlock()
	require.True(t, ok, "the result is remembered")

	// A second call copies the remembered values (poison them to see it).
	e.data[0] = -1
	got := make([]float32, len(want))
	cachedRWSE(&s, got, g, steps)
	assert.Equal(t, float32(-1), got[0], "served from the cache")
	e.data[0] = want[0]

	// Edited in place (an edge removed from both ends): recomputed.
	c := *g
	c.RowPtr = append([]int(nil), g.RowPtr...)
	c.Col = append([]int(nil), g.Col...)
	u, v := 0, g.Col[g.RowPtr[0]]
	drop := func(x, y int) {
		for j := c.RowPtr[x]; j < c.RowPtr[x+1]; j++ {
			if c.Col[j] == y {
				c.Col = append(c.Col[:j], c.Col[j+1:]...)
				for w := x + 1; w < len(c.RowPtr); w++ {
					c.RowPtr[w]--
				}
				return
			}
		}
	}
	drop(u, v)
	drop(v, u)
	edited := RWSE(&c, steps)
	require.NotEqual(t, want, edited)
	g.RowPtr, g.Col = c.RowPtr, c.Col
	cachedRWSE(&s, got, g, steps)
	assert.Equal(t, edited, got)

	// Patchers built on the same graphs give the same encodings.
	set = tinySet()
	p1, err := NewPatcher(tinyConfig().Patch, set.Graphs)
	require.NoError(t, err)
	p2, err := NewPatcher(tinyConfig().Patch, set.Graphs)
	require.NoError(t, err)
	for i, gi := range set.Graphs {
		assert.Equal(t, RWSE(gi, p1.Config().RWDim), p1.NodeRWSE(i))
		assert.Equal(t, p1.NodeRWSE(i), p2.NodeRWSE(i))
	}
}
