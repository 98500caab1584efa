// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package nn

import (
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	puregemm "github.com/nongrid/jepa/nn/gemm"
)

// NN_TEST_BLAS switches the engine BLAS of this test binary, to measure the
// engine benchmarks before and after (the default build uses nn/gemm with the
// best kernel; -tags openblas uses OpenBLAS):
//
//	NN_TEST_BLAS=gonum go test -run '^$' -bench TransformerStep ./nn   # gonum's pure-Go BLAS
//	NN_TEST_BLAS=avx2 go test -run '^$' -bench TransformerStep ./nn    # nn/gemm, AVX2 kernel
//	NN_TEST_BLAS=generic ...                                            # nn/gemm, portable kernel
func init() {
	switch v := os.Getenv("NN_TEST_BLAS"); v {
	case "":
	case "gonum":
		useBLAS(gonum.Implementation{})
	default:
		if err := puregemm.SetKernel(v); err != nil {
			panic("nn: NN_TEST_BLAS: " + err.Error())
		}
	}
}

// TestBLASInstalled checks that the BLAS named by BLASName is the one behind
// gorgonia/tensor and gonum's blas32 and blas64.
func TestBLASInstalled(t *testing.T) {
	if os.Getenv("NN_TEST_BLAS") == "gonum" {
		t.Skip("NN_TEST_BLAS=gonum replaced the BLAS")
	}
	name := BLASName()
	want := fmt.Sprintf("%T", tensor.WhichBLAS())
	switch {
	case strings.HasPrefix(name, "gemm/"):
		require.Equal(t, "gemm.Implementation", want)
	case name == "openblas":
		require.Equal(t, "netlib.Implementation", want)
	default:
		require.Failf(t, "unknown BLAS", "BLASName() = %q", name)
	}
	require.Equal(t, want, fmt.Sprintf("%T", blas32.Implementation()))
	require.Equal(t, want, fmt.Sprintf("%T", blas64.Implementation()))
}

// blasGemmCall is one recorded ?gemm call.
type blasGemmCall struct {
	tA, tB  blas.Transpose
	m, n, k int
}

func (c blasGemmCall) String() string { return fmt.Sprintf("%c%c %dx%dx%d", c.tA, c.tB, c.m, c.n, c.k) }

// blasCounter records the Sgemm and Dgemm calls it forwards to the
// installed BLAS.
type blasCounter struct {
	gorgonia.BLAS
	mu    sync.Mutex
	calls []blasGemmCall
}

func (c *blasCounter) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, cc []float32, ldc int) {
	c.mu.Lock()
	c.calls = append(c.calls, blasGemmCall{tA, tB, m, n, k})
	c.mu.Unlock()
	c.BLAS.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cc, ldc)
}

func (c *blasCounter) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, cc []float64, ldc int) {
	c.mu.Lock()
	c.calls = append(c.calls, blasGemmCall{tA, tB, m, n, k})
	c.mu.Unlock()
	c.BLAS.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cc, ldc)
}

// record installs a blasCounter around the current BLAS for the duration
// of f and returns the calls as strings.
func blasRecord(t *testing.T, f func()) []string {
	t.Helper()
	prev := tensor.WhichBLAS()
	c := &blasCounter{BLAS: prev}
	gorgonia.Use(c)
	defer gorgonia.Use(prev)
	f()
	s := make([]string, len(c.calls))
	for i, x := range c.calls {
		s[i] = x.String()
	}
	return s
}

// TestGorgoniaRoutesGemmThroughBLAS pins down how gorgonia v0.9.18 and
// gorgonia/tensor v0.9.24 reach BLAS for float32 products: Mul, its two
// gradients and BatchedMatMul all call the installed Sgemm, transposed
// operands of products and gradients as BLAS transpose flags (no copy),
// except an explicit Transpose node, which gorgonia materialises before a
// plain NN product. BatchedMatMul makes one Sgemm call per batch element.
func TestGorgoniaRoutesGemmThroughBLAS(t *testing.T) {
	run := func(build func(g *gorgonia.ExprGraph) (out *gorgonia.Node, wrt []*gorgonia.Node)) (calls []string, out []float32) {
		calls = blasRecord(t, func() {
			g := gorgonia.NewGraph()
			o, wrt := build(g)
			var v gorgonia.Value
			gorgonia.Read(o, &v)
			_, err := gorgonia.Grad(gorgonia.Must(gorgonia.Sum(o)), wrt...)
			require.NoError(t, err)
			m := gorgonia.NewTapeMachine(g)
			defer m.Close()
			require.NoError(t, m.RunAll())
			out = append(out, v.Data().([]float32)...)
		})
		return calls, out
	}
	mat := func(g *gorgonia.ExprGraph, name string, s ...int) *gorgonia.Node {
		return gorgonia.NewTensor(g, tensor.Float32, len(s), gorgonia.WithShape(s...), gorgonia.WithName(name), gorgonia.WithInit(gorgonia.RangedFrom(0)))
	}

	// a = [0..14] as 5×3, b = [0..11] as 3×4: C = a·b.
	calls, c := run(func(g *gorgonia.ExprGraph) (*gorgonia.Node, []*gorgonia.Node) {
		a, b := mat(g, "a", 5, 3), mat(g, "b", 3, 4)
		return gorgonia.Must(gorgonia.Mul(a, b)), []*gorgonia.Node{a, b}
	})
	// forward NN; dA = dC·bᵀ (NT); dB = aᵀ·dC (TN).
	require.Equal(t, []string{"NN 5x4x3", "NT 5x3x4", "TN 3x4x5"}, calls)
	require.Equal(t, blasNaiveMatMul(5, 4, 3, blasRange(15), blasRange(12), false), c)

	// Mul(a, Transpose(w)): the Transpose node is copied, then NN.
	calls, c = run(func(g *gorgonia.ExprGraph) (*gorgonia.Node, []*gorgonia.Node) {
		a, w := mat(g, "a", 5, 3), mat(g, "w", 4, 3)
		return gorgonia.Must(gorgonia.Mul(a, gorgonia.Must(gorgonia.Transpose(w)))), []*gorgonia.Node{a, w}
	})
	require.Equal(t, []string{"NN 5x4x3", "NT 5x3x4", "TN 3x4x5"}, calls)
	require.Equal(t, blasNaiveMatMul(5, 4, 3, blasRange(15), blasRange(12), true), c)

	// BatchedMatMul(q, k, false, true) as in attention scores: one NT call
	// per batch element; the gradients are NN (dq = dS·k) and TN (dk = dSᵀ·q).
	calls, _ = run(func(g *gorgonia.ExprGraph) (*gorgonia.Node, []*gorgonia.Node) {
		q, k := mat(g, "q", 2, 5, 3), mat(g, "k", 2, 4, 3)
		return gorgonia.Must(gorgonia.BatchedMatMul(q, k, false, true)), []*gorgonia.Node{q, k}
	})
	require.Equal(t, []string{"NT 5x4x3", "NT 5x4x3", "NN 5x3x4", "NN 5x3x4", "TN 4x3x5", "TN 4x3x5"}, calls)

	// tensor.MatMul on a transposed view passes the transpose flag.
	calls = blasRecord(t, func() {
		a := tensor.New(tensor.WithShape(3, 5), tensor.WithBacking(blasRange(15)))
		b := tensor.New(tensor.WithShape(3, 4), tensor.WithBacking(blasRange(12)))
		require.NoError(t, a.T())
		_, err := tensor.MatMul(a, b)
		require.NoError(t, err)
	})
	require.Equal(t, []string{"TN 5x4x3"}, calls)
}

// TestEngineGemmMatchesNaive multiplies through the installed BLAS (float32
// and float64) and compares with a naive triple loop.
func TestEngineGemmMatchesNaive(t *testing.T) {
	const m, n, k = 37, 29, 45
	a, b := blasRange(m*k), blasRange(k*n)
	for i := range a {
		a[i] = float32(math.Sin(float64(i)))
	}
	for i := range b {
		b[i] = float32(math.Cos(float64(i)))
	}
	c := make([]float32, m*n)
	blas32.Implementation().Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, c, n)
	want := blasNaiveMatMul(m, n, k, a, b, false)
	for i := range c {
		require.InDelta(t, want[i], c[i], 1e-5*k, "C[%d]", i)
	}
	a64, b64, c64 := make([]float64, m*k), make([]float64, k*n), make([]float64, m*n)
	for i := range a64 {
		a64[i] = float64(a[i])
	}
	for i := range b64 {
		b64[i] = float64(b[i])
	}
	blas64.Implementation().Dgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a64, k, b64, n, 0, c64, n)
	for i := range c64 {
		require.InDelta(t, float64(want[i]), c64[i], 1e-5*k, "C[%d]", i)
	}
}

func blasRange(n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(i)
	}
	return s
}

// blasNaiveMatMul returns the m×n product of a (m×k) and b (k×n, or n×k if bT),
// accumulated in float64.
func blasNaiveMatMul(m, n, k int, a, b []float32, bT bool) []float32 {
	c := make([]float32, m*n)
	for i := range m {
		for j := range n {
			var s float64
			for p := range k {
				bv := b[p*n+j]
				if bT {
					bv = b[j*k+p]
				}
				s += float64(a[i*k+p]) * float64(bv)
			}
			c[i*n+j] = float32(s)
		}
	}
	return c
}
