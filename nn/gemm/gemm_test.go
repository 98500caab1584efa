// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

var transposes = []blas.Transpose{blas.NoTrans, blas.Trans}

// gemmCase is one call of ?gemm with its operands stored with the given
// leading dimensions (≥ the logical widths; the padding holds sentinels).
type gemmCase struct {
	tA, tB        blas.Transpose
	m, n, k       int
	lda, ldb, ldc int
	alpha, beta   float64
	nanC          bool // fill C with NaN (only meaningful with beta = 0)
}

func (g gemmCase) String() string {
	t := func(x blas.Transpose) string {
		if x == blas.NoTrans {
			return "N"
		}
		return "T"
	}
	return fmt.Sprintf("%s%s/m=%d,n=%d,k=%d/ld=%d,%d,%d/alpha=%g,beta=%g,nanC=%v",
		t(g.tA), t(g.tB), g.m, g.n, g.k, g.lda, g.ldb, g.ldc, g.alpha, g.beta, g.nanC)
}

// tight returns the case with the smallest legal leading dimensions.
func tight(tA, tB blas.Transpose, m, n, k int, alpha, beta float64) gemmCase {
	g := gemmCase{tA: tA, tB: tB, m: m, n: n, k: k, alpha: alpha, beta: beta}
	g.lda, g.ldb, g.ldc = max(1, k), max(1, n), max(1, n)
	if tA == blas.Trans {
		g.lda = max(1, m)
	}
	if tB == blas.Trans {
		g.ldb = max(1, k)
	}
	return g
}

// operandRows returns the number of stored rows of A and B.
func (g gemmCase) operandRows() (ra, rb int) {
	ra, rb = g.m, g.k
	if g.tA == blas.Trans {
		ra = g.k
	}
	if g.tB == blas.Trans {
		rb = g.n
	}
	return ra, rb
}

const sentinel = -12345

type gemmFunc[T float] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// checkAgainstGonum runs the case through f and through gonum's reference
// implementation and requires them to agree to within the rounding error
// bound of a length-k dot product, with untouched padding.
func checkAgainstGonum[T float](t *testing.T, rng *rand.Rand, g gemmCase, f, ref gemmFunc[T]) {
	t.Helper()
	ra, rb := g.operandRows()
	ca, cb := g.k, g.n
	if g.tA == blas.Trans {
		ca = g.m
	}
	if g.tB == blas.Trans {
		cb = g.k
	}
	a := randMatrix[T](rng, ra, ca, g.lda)
	b := randMatrix[T](rng, rb, cb, g.ldb)
	c := randMatrix[T](rng, g.m, g.n, g.ldc)
	if g.nanC {
		for i := range g.m {
			for j := range g.n {
				c[i*g.ldc+j] = T(math.NaN())
			}
		}
	}
	want := append([]T(nil), c...)
	ref(g.tA, g.tB, g.m, g.n, g.k, T(g.alpha), a, g.lda, b, g.ldb, T(g.beta), want, g.ldc)
	got := append([]T(nil), c...)
	f(g.tA, g.tB, g.m, g.n, g.k, T(g.alpha), a, g.lda, b, g.ldb, T(g.beta), got, g.ldc)

	eps := 0x1p-52
	if _, ok := any(T(0)).(float32); ok {
		eps = 0x1p-23
	}
	for i := range g.m {
		for j := range g.n {
			// Bound: |alpha|·Σ|op(A)ip||op(B)pj| + |beta||Cij|, times (k+2)ε
			// for each of the two summation orders.
			var mag float64
			for p := range g.k {
				mag += math.Abs(float64(at(a, g.lda, g.tA, i, p)) * float64(at(b, g.ldb, g.tB, p, j)))
			}
			mag = math.Abs(g.alpha) * mag
			if g.beta != 0 {
				mag += math.Abs(g.beta) * math.Abs(float64(c[i*g.ldc+j]))
			}
			tol := 2 * float64(g.k+2) * eps * mag
			w, x := float64(want[i*g.ldc+j]), float64(got[i*g.ldc+j])
			if math.IsNaN(w) || math.IsNaN(x) {
				require.Truef(t, math.IsNaN(w) && math.IsNaN(x), "%v: C[%d][%d] = %v, gonum %v", g, i, j, x, w)
				continue
			}
			if math.Abs(w-x) > tol {
				require.Failf(t, "mismatch", "%v: C[%d][%d] = %v, gonum %v (|diff| %g > tol %g)", g, i, j, x, w, math.Abs(w-x), tol)
			}
		}
		for j := g.n; j < g.ldc; j++ {
			require.Equalf(t, T(sentinel), got[i*g.ldc+j], "%v: padding C[%d][%d] written", g, i, j)
		}
	}
}

// at returns op(X)[i][p] of a matrix stored with leading dimension ld.
func at[T float](x []T, ld int, tr blas.Transpose, i, p int) T {
	if tr == blas.Trans {
		return x[p*ld+i]
	}
	return x[i*ld+p]
}

// randMatrix returns a rows×cols matrix of values in [-1, 1) stored with
// leading dimension ld, with sentinels in the padding columns.
func randMatrix[T float](rng *rand.Rand, rows, cols, ld int) []T {
	s := make([]T, rows*ld)
	for i := range rows {
		for j := range ld {
			s[i*ld+j] = T(sentinel)
			if j < cols {
				s[i*ld+j] = T(2*rng.Float64() - 1)
			}
		}
	}
	return s
}

func fillRand[T float](rng *rand.Rand, s []T) []T {
	for i := range s {
		s[i] = T(2*rng.Float64() - 1)
	}
	return s
}

// padded returns the case with each leading dimension widened by pad and the
// padding columns marked with sentinels.
func padded(g gemmCase, pad int) gemmCase {
	g.lda += pad
	g.ldb += pad
	g.ldc += pad
	return g
}

// forKernels runs f once per available kernel, restoring the default.
// Under the race detector, which looks for concurrency bugs that do not
// depend on the kernel, only the default kernel runs.
func forKernels(t *testing.T, f func(t *testing.T)) {
	def := Kernel()
	t.Cleanup(func() { require.NoError(t, SetKernel(def)) })
	names := Kernels()
	if raceEnabled {
		names = names[:1]
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, SetKernel(name))
			f(t)
		})
	}
}

func sgemm() (f, ref gemmFunc[float32]) {
	return Implementation{}.Sgemm, gonum.Implementation{}.Sgemm
}

func dgemm() (f, ref gemmFunc[float64]) {
	return Implementation{}.Dgemm, gonum.Implementation{}.Dgemm
}

// TestGemmSmallShapes covers every m, n in 1..67 (each transpose combination
// in turn) with a k that also runs through 1..67, and every k in 1..67 for a
// few m, n: all edge-tile positions of every kernel.
func TestGemmSmallShapes(t *testing.T) {
	forKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		f, ref := sgemm()
		df, dref := dgemm()
		step := 1
		if raceEnabled {
			step = 5 // every m, every fifth n
		}
		for m := 1; m <= 67; m++ {
			for n := 1 + m%step; n <= 67; n += step {
				k := (7*m+13*n)%67 + 1
				q := (m + n) % 4
				g := tight(transposes[q/2], transposes[q%2], m, n, k, 1, 0)
				checkAgainstGonum(t, rng, g, f, ref)
				if (m+2*n)%5 == 0 {
					g.alpha, g.beta = -0.5, 1.5
					checkAgainstGonum(t, rng, g, df, dref)
				}
			}
		}
		for k := 1; k <= 67; k++ {
			for _, mn := range [][2]int{{1, 1}, {5, 17}, {14, 32}, {15, 33}, {29, 63}} {
				for q := range 4 {
					g := tight(transposes[q/2], transposes[q%2], mn[0], mn[1], k, 0.75, -1)
					checkAgainstGonum(t, rng, g, f, ref)
					checkAgainstGonum(t, rng, g, df, dref)
				}
			}
		}
	})
}

// TestGemmBlockEdges covers sizes at and around the cache-block sizes of each
// kernel (KC, MC, NC ± 1, multiples of MR and NR ± 1), and the parallel path.
func TestGemmBlockEdges(t *testing.T) {
	forKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		ks := currentKernels()
		f, ref := sgemm()
		df, dref := dgemm()
		sk := ks.s
		cases := [][3]int{
			{sk.mc + 1, sk.nr + 1, sk.kc + 1},
			{sk.mc - 1, 3*sk.nr - 1, sk.kc - 1},
			{2*sk.mc + sk.mr + 1, 2 * sk.nr, 2*sk.kc + 3},
			{3*sk.mr - 1, sk.nc + 1, 9},
			{97, 101, 2*sk.kc + 1},
			{1, 300, 257},
			{300, 1, 257},
			{300, 3, 33},
			{3, 5, 3000},
			{4100, 20, 9},  // more row parts than workers
			{3, 5000, 20},  // more column parts than workers
			{20, 40, 5000}, // split over the inner dimension
			{300, 3, 2000}, // transposed, split over the inner dimension
		}
		for i, s := range cases {
			q := i % 4
			g := tight(transposes[q/2], transposes[q%2], s[0], s[1], s[2], 1.25, 0.5)
			checkAgainstGonum(t, rng, g, f, ref)
			g.tA, g.tB = transposes[(q+1)%4/2], transposes[(q+1)%2]
			checkAgainstGonum(t, rng, tight(g.tA, g.tB, g.m, g.n, g.k, -1, 0), f, ref)
		}
		dk := ks.d
		for i, s := range [][3]int{{dk.mc + 1, 2*dk.nr + 1, dk.kc + 1}, {3*dk.mr - 1, dk.nc + 1, 5}} {
			q := (i + 1) % 4
			checkAgainstGonum(t, rng, tight(transposes[q/2], transposes[q%2], s[0], s[1], s[2], 1, 1), df, dref)
		}
	})
}

// TestGemmSplitK covers products whose inner dimension is split over the
// workers (weight gradients: small C, long k), also with C stored transposed
// and with beta ≠ 0, which only the first inner band may apply.
func TestGemmSplitK(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS ≥ 2")
	}
	withParallelFrom(t, 1<<18)
	_, _, pk := partition(20, 40, 5000, 14, 32, runtime.GOMAXPROCS(0))
	require.Greater(t, pk, 1, "the test shape no longer splits k")
	forKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(13, 14))
		f, ref := sgemm()
		df, dref := dgemm()
		for q := range 4 {
			for _, s := range [][3]int{{20, 40, 5000}, {40, 3, 4000}, {3, 128, 3000}} {
				g := padded(tight(transposes[q/2], transposes[q%2], s[0], s[1], s[2], 0.5, -2), 3)
				checkAgainstGonum(t, rng, g, f, ref)
				checkAgainstGonum(t, rng, g, df, dref)
				g.beta, g.nanC = 0, true
				checkAgainstGonum(t, rng, g, f, ref)
			}
		}
	})
}

// TestGemmLeadingDimensions uses padded operands: the padding must be neither
// read into the result nor written.
func TestGemmLeadingDimensions(t *testing.T) {
	forKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 6))
		f, ref := sgemm()
		df, dref := dgemm()
		for q := range 4 {
			for _, s := range [][3]int{{1, 1, 1}, {13, 31, 7}, {40, 70, 300}, {100, 90, 80}} {
				for _, pad := range []int{1, 5, 33} {
					g := padded(tight(transposes[q/2], transposes[q%2], s[0], s[1], s[2], 1, 0.5), pad)
					checkAgainstGonum(t, rng, g, f, ref)
					checkAgainstGonum(t, rng, g, df, dref)
				}
			}
		}
	})
}

// TestGemmAlphaBeta covers the scalar special cases: beta = 0 must overwrite
// NaN in C (as reference BLAS does), alpha = 0 and k = 0 only scale C.
func TestGemmAlphaBeta(t *testing.T) {
	forKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 8))
		f, ref := sgemm()
		df, dref := dgemm()
		for _, ab := range [][2]float64{{1, 0}, {1, 1}, {-0.5, 0}, {2.5, -1.5}, {0, 0}, {0, 1}, {0, 3}, {1, 0.25}} {
			for _, s := range [][3]int{{6, 16, 5}, {14, 32, 3}, {19, 45, 21}, {70, 80, 90}, {9, 9, 0}} {
				for q := range 4 {
					g := padded(tight(transposes[q/2], transposes[q%2], s[0], s[1], s[2], ab[0], ab[1]), 2)
					checkAgainstGonum(t, rng, g, f, ref)
					checkAgainstGonum(t, rng, g, df, dref)
					if ab[1] == 0 {
						g.nanC = true
						checkAgainstGonum(t, rng, g, f, ref)
						checkAgainstGonum(t, rng, g, df, dref)
					}
				}
			}
		}
	})
	// NaN in C with beta = 0 is overwritten with the product, explicitly.
	c := []float32{float32(math.NaN()), float32(math.Inf(1))}
	Implementation{}.Sgemm(blas.NoTrans, blas.NoTrans, 1, 2, 1, 2, []float32{3}, 1, []float32{1, -1}, 2, 0, c, 2)
	require.Equal(t, []float32{6, -6}, c)
	c = []float32{float32(math.NaN())}
	Implementation{}.Sgemm(blas.NoTrans, blas.NoTrans, 1, 1, 1, 0, []float32{3}, 1, []float32{1}, 1, 0, c, 1)
	require.Equal(t, []float32{0}, c)
}

// TestGemmBadArguments checks that bad arguments panic exactly as gonum's
// implementation does.
func TestGemmBadArguments(t *testing.T) {
	a, b, c := make([]float32, 12), make([]float32, 12), make([]float32, 12)
	type call struct {
		name          string
		tA, tB        blas.Transpose
		m, n, k       int
		lda, ldb, ldc int
		lc            int
	}
	for _, x := range []call{
		{"badTransA", 'X', blas.NoTrans, 2, 2, 2, 2, 2, 2, 12},
		{"badTransB", blas.NoTrans, 'X', 2, 2, 2, 2, 2, 2, 12},
		{"mLT0", blas.NoTrans, blas.NoTrans, -1, 2, 2, 2, 2, 2, 12},
		{"nLT0", blas.NoTrans, blas.NoTrans, 2, -1, 2, 2, 2, 2, 12},
		{"kLT0", blas.NoTrans, blas.NoTrans, 2, 2, -1, 2, 2, 2, 12},
		{"badLdA", blas.NoTrans, blas.NoTrans, 2, 2, 3, 2, 2, 2, 12},
		{"badLdAT", blas.Trans, blas.NoTrans, 3, 2, 2, 2, 2, 2, 12},
		{"badLdB", blas.NoTrans, blas.NoTrans, 2, 3, 2, 2, 2, 3, 12},
		{"badLdBT", blas.NoTrans, blas.Trans, 2, 2, 3, 3, 2, 2, 12},
		{"badLdC", blas.NoTrans, blas.NoTrans, 2, 3, 2, 2, 3, 2, 12},
		{"shortA", blas.NoTrans, blas.NoTrans, 7, 1, 2, 2, 1, 1, 12},
		{"shortB", blas.NoTrans, blas.NoTrans, 1, 2, 7, 7, 2, 2, 12},
		{"shortC", blas.NoTrans, blas.NoTrans, 2, 2, 2, 2, 2, 2, 3},
	} {
		t.Run(x.name, func(t *testing.T) {
			msg := func(f gemmFunc[float32]) (r any) {
				defer func() { r = recover() }()
				f(x.tA, x.tB, x.m, x.n, x.k, 1, a, x.lda, b, x.ldb, 0, c[:x.lc], x.ldc)
				return nil
			}
			f, ref := sgemm()
			want := msg(ref)
			require.NotNil(t, want, "gonum did not panic")
			require.Equal(t, want, msg(f))
		})
	}
	// Empty products return without touching anything.
	require.NotPanics(t, func() { Implementation{}.Sgemm(blas.NoTrans, blas.NoTrans, 0, 5, 5, 1, nil, 5, nil, 5, 0, nil, 5) })
}

// TestGemmConcurrent runs products from several goroutines at once (run it
// with -race): the worker pool and the buffer pools must not mix them up.
func TestGemmConcurrent(t *testing.T) {
	withParallelFrom(t, 1<<18) // every product below is split
	rng := rand.New(rand.NewPCG(9, 10))
	const m, n, k = 150, 130, 140
	a := fillRand(rng, make([]float32, m*k))
	b := fillRand(rng, make([]float32, k*n))
	want := make([]float32, m*n)
	Implementation{}.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, want, n)
	var wg sync.WaitGroup
	got := make([][]float32, 6)
	for g := range got {
		wg.Go(func() {
			c := make([]float32, m*n)
			for range 5 {
				Implementation{}.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, c, n)
			}
			got[g] = c
		})
	}
	wg.Wait()
	for _, c := range got {
		require.Equal(t, want, c, "concurrent result differs (bit for bit)")
	}
}
