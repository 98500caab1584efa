// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

// Package gemm is a fast, pure-Go general matrix multiply (GEMM) for the
// engine of package nn. Its [Implementation] is a complete gonum
// blas.Float32/blas.Float64 (and gorgonia BLAS) implementation whose Sgemm and
// Dgemm are packed, cache-blocked and multi-threaded; every other routine is
// gonum's own.
//
// The algorithm is the Goto/BLIS layering (K. Goto and R. A. van de Geijn,
// "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008;
// F. G. Van Zee and R. A. van de Geijn, "BLIS: A framework for rapidly
// instantiating BLAS functionality", ACM TOMS 41(3), 2015):
//
//	for jc in N step NC:            B panel  KC×NC  (L3)
//	  for pc in K step KC:          pack B into NR-wide panels
//	    for ic in M step MC:        A block  MC×KC  (L2), packed in MR-row strips
//	      for jr in NC step NR:     B sliver KC×NR  (L1)
//	        for ir in MC step MR:   micro-kernel: MR×NR tile of C in registers
//
// The micro-kernels are written in Go assembly for amd64 (AVX-512F: 14×32
// float32 / 14×16 float64 tiles; AVX2+FMA: 6×16 float32 / 6×8 float64 tiles)
// and in portable Go (4×4) for other architectures, older CPUs and the purego
// build tag. The best kernel the CPU supports is chosen at start-up through
// golang.org/x/sys/cpu; [SetKernel] forces another one (for tests and
// benchmarks). Edge tiles are computed on zero-padded packs into a scratch
// tile and then merged into C, so every shape and leading dimension works.
//
// Work is split statically over runtime.GOMAXPROCS(0) workers (a persistent
// goroutine pool, so a call does not start goroutines) by a 2-D grid over the
// rows and columns of C chosen to minimise the duplicated packing; products
// below about 2^20 multiply-adds run on the calling goroutine. Packing buffers
// come from a sync.Pool: a call in steady state does not allocate.
//
// Results agree with reference BLAS up to floating-point reassociation: the
// sum over k is accumulated in a different order (and with fused
// multiply-adds), so results differ from gonum's in the last bits, by about
// k·ε·Σ|a||b|. As in reference BLAS, beta = 0 overwrites C without reading it
// (NaN in C does not propagate), and alpha = 0 or k = 0 only scales C by beta.
//
// Use [Use] to make it gonum's blas32/blas64 default; package nn installs it
// as the engine BLAS of gorgonia unless built with the openblas tag.
package gemm
