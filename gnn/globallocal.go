package gnn

import (
	"fmt"

	"github.com/nongrid/jepa/nn"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// globalLocalLinear computes Linear(concat[global broadcast over K, local])
// without bias, the mini-PointNet's second_conv.0, without building the
// concatenation:
//
//	y[n,k] = W[:, :Cg]·global[n] + W[:, Cg:]·local[n,k]
//
// The global product is computed once per set instead of once per point,
// which removes a quarter of the tokenizer's multiply-adds, and the
// gradients go straight to the two inputs and to the two column blocks of
// W (no concat, repeat or split copies).
//
// Shapes: local [N, K, Cl], global [N, Cg], w [O, Cg+Cl] (PyTorch layout) →
// [N, K, O].
func globalLocalLinear(local, global, w *G.Node) (*G.Node, error) {
	ls, gs, ws := local.Shape(), global.Shape(), w.Shape()
	if ls.Dims() != 3 || gs.Dims() != 2 || ws.Dims() != 2 || gs[0] != ls[0] || ws[1] != gs[1]+ls[2] {
		return nil, fmt.Errorf("gnn: global/local linear: shapes local %v, global %v and weight %v do not fit [N,K,Cl], [N,Cg], [O,Cg+Cl]", ls, gs, ws)
	}
	n, k, cl, cg, o := ls[0], ls[1], ls[2], gs[1], ws[0]
	var yg, dyg scratch // [N, O] buffers reused by every run
	op := nn.CustomOp{Name: "GlobalLocalLinear", Params: fmt.Sprintf("%dx%d+%d", o, cg, cl),
		OutShape: tensor.Shape{n, k, o}, DiffWRT: []bool{true, true, true},
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			switch y := out.Data().(type) {
			case []float32:
				glForward(y, scratchOf[float32](&yg, n*o), data[float32](in[0]), data[float32](in[1]), data[float32](in[2]), n, k, cl, cg, o)
			case []float64:
				glForward(y, scratchOf[float64](&yg, n*o), data[float64](in[0]), data[float64](in[1]), data[float64](in[2]), n, k, cl, cg, o)
			}
			return nil
		},
		Backward: func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			gg := nn.NewGradGroup("GlobalLocalLinearGrad", []tensor.Shape{ls.Clone(), gs.Clone(), ws.Clone()},
				func(outs, vals []*tensor.Dense) error {
					switch dy := vals[3].Data().(type) {
					case []float32:
						glBackward(scratchOf[float32](&dyg, n*o), data[float32](outs[0]), data[float32](outs[1]), data[float32](outs[2]),
							data[float32](vals[0]), data[float32](vals[1]), data[float32](vals[2]), dy, n, k, cl, cg, o)
					case []float64:
						glBackward(scratchOf[float64](&dyg, n*o), data[float64](outs[0]), data[float64](outs[1]), data[float64](outs[2]),
							data[float64](vals[0]), data[float64](vals[1]), data[float64](vals[2]), dy, n, k, cl, cg, o)
					}
					return nil
				})
			return gg.Pieces(in[0], in[1], in[2], grad)
		},
	}
	return nn.ApplyCustomOp(op, local, global, w)
}

// gemm computes C = alpha·op(A)·op(B) + beta·C on row-major slices with
// the engine's BLAS (gonum's blas32/blas64, which package nn points at its
// own GEMM).
func gemm[T float](tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	ta, tb := blas.NoTrans, blas.NoTrans
	if tA {
		ta = blas.Trans
	}
	if tB {
		tb = blas.Trans
	}
	switch a := any(a).(type) {
	case []float32:
		blas32.Implementation().Sgemm(ta, tb, m, n, k, float32(alpha), a, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	case []float64:
		blas64.Implementation().Dgemm(ta, tb, m, n, k, float64(alpha), a, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	}
}

func glForward[T float](y, yg, local, global, w []T, n, k, cl, cg, o int) {
	ld := cg + cl
	gemm(false, true, n, o, cg, 1, global, cg, w, ld, 0, yg, o)
	gemm(false, true, n*k, o, cl, 1, local, cl, w[cg:], ld, 0, y, o)
	nn.ParallelFor(n, rowGrain(k*o), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			g := yg[i*o : (i+1)*o]
			for j := 0; j < k; j++ {
				add(y[(i*k+j)*o:(i*k+j+1)*o], g)
			}
		}
	})
}

func glBackward[T float](dyg, dl, dg, dw, local, global, w, dy []T, n, k, cl, cg, o int) {
	ld := cg + cl
	// Σ_k dy → [N, O]
	clear(dyg)
	nn.ParallelFor(n, rowGrain(k*o), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			s := dyg[i*o : (i+1)*o]
			for j := 0; j < k; j++ {
				add(s, dy[(i*k+j)*o:(i*k+j+1)*o])
			}
		}
	})
	gemm(false, false, n*k, cl, o, 1, dy, o, w[cg:], ld, 0, dl, cl)
	gemm(false, false, n, cg, o, 1, dyg, o, w, ld, 0, dg, cg)
	gemm(true, false, o, cl, n*k, 1, dy, o, local, cl, 0, dw[cg:], ld)
	gemm(true, false, o, cg, n, 1, dyg, o, global, cg, 0, dw, ld)
}

// scratch is a reusable buffer of either float type.
type scratch struct {
	f32 []float32
	f64 []float64
}

// scratchOf returns s's buffer of n elements of type T (stale contents),
// allocating it on first use.
func scratchOf[T float](s *scratch, n int) []T {
	var z T
	switch any(z).(type) {
	case float32:
		if len(s.f32) != n {
			s.f32 = make([]float32, n)
		}
		return any(s.f32).([]T)
	default:
		if len(s.f64) != n {
			s.f64 = make([]float64, n)
		}
		return any(s.f64).([]T)
	}
}
