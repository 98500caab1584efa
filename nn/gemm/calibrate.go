// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Kernel choice by measurement.
//
// A CPU feature flag says which kernels can run, not which is fastest: on
// AMD Zen 4, which executes AVX-512 on 256-bit units, the AVX2 kernel
// (6×16 tiles) beats the AVX-512 one (14×32) by about 8 % on SGEMM 1024³,
// while on Intel Sapphire Rapids and AMD Zen 5 the AVX-512 kernel is far
// ahead. So at first use the package times every assembly kernel this CPU
// can run on one core (a few alternating rounds of a 256³ SGEMM, best round
// of each) and selects the fastest; a kernel listed later in [Kernels] must
// win by more than calibrationMargin to displace an earlier one, so that
// noise does not flip a near tie.
//
// The result is cached per CPU model in the user's cache directory
// (os.UserCacheDir()/nongrid-jepa/gemm-kernel.json) so that later processes
// on the same machine use the same kernel (and so round identically) without
// measuring again. The environment variable NN_GEMM_KERNEL overrides it:
//
//	NN_GEMM_KERNEL=avx2        force a kernel (one of Kernels())
//	NN_GEMM_KERNEL=calibrate   measure again, ignoring (and refreshing) the cache
//	NN_GEMM_KERNEL=features    no measurement: the first kernel of Kernels()
//
// [Selection] reports which kernel is in use and why.
//
// The same measurement gives the one-core rate of the kernel in use, from
// which the package derives the size below which a product is not split
// over workers (see parallelMinSeconds). A kernel forced by NN_GEMM_KERNEL
// takes its rate from the cache or is timed alone; "features" measures
// nothing and keeps the fixed threshold.

const (
	calibrationEnv    = "NN_GEMM_KERNEL"
	calibrationSize   = 256 // m = n = k of the timed SGEMM
	calibrationRounds = 7
	calibrationMargin = 0.03
	calibrationFormat = 2 // bump when the kernels, the probe or the file change
)

var (
	calibrationOnce sync.Once
	selection       string // why the kernel in use was chosen
)

// ensureSelected runs the one-time kernel selection if nothing chose a
// kernel yet.
func ensureSelected() { calibrationOnce.Do(selectKernel) }

// Selection returns the kernel in use, why it was chosen and from which size
// products are split over workers, for example "avx512 (calibrated: avx512
// 193.4 GFLOP/s, avx2 103.0 GFLOP/s on one core, SGEMM 256³; products from
// 2^24 multiply-adds split over workers)", "avx2 (cached calibration: ...)",
// "avx2 (NN_GEMM_KERNEL=avx2; ...)" or "generic (set by SetKernel; ...)".
// The first call (or the first product) runs the calibration described in
// the package documentation.
func Selection() string {
	ensureSelected()
	return registry.Name() + " (" + selection + "; " + parallelNote() + ")"
}

// parallelNote says from which size products are split over workers.
func parallelNote() string {
	t := parallelMinMACs.Load()
	return fmt.Sprintf("products from 2^%d multiply-adds split over workers", bits.Len64(uint64(t))-1)
}

// selectKernel picks the kernel for the process: forced by the environment,
// read from the cache, or measured.
func selectKernel() {
	candidates := asmKernelNames()
	env := strings.TrimSpace(os.Getenv(calibrationEnv))
	switch env {
	case "", "calibrate":
	case "features":
		selection = calibrationEnv + "=features"
		return
	default:
		if err := registry.Set(env); err == nil {
			selection = calibrationEnv + "=" + env
			parallelMinMACs.Store(parallelThreshold(forcedRate(env)))
			return
		} else {
			fmt.Fprintf(os.Stderr, "gemm: %s=%q: %v; calibrating instead\n", calibrationEnv, env, err)
			env = "invalid"
		}
	}
	// With one candidate (or none: the portable kernel) there is nothing to
	// choose, but its rate is still measured (and cached) for the
	// threshold.
	measured := measuredKernels()
	prefix := ""
	switch len(candidates) {
	case 0:
		prefix = "no assembly kernel for this CPU, "
	case 1:
		prefix = "only kernel with assembly for this CPU, "
	}
	key := cacheKey(measured)
	if env == "" {
		if c, ok := readCachedChoice(key); ok && registry.Set(c.Kernel) == nil {
			selection = prefix + "cached calibration: " + c.Detail
			parallelMinMACs.Store(parallelThreshold(c.Rates[c.Kernel]))
			return
		}
	}
	name, rates, detail := calibrate(measured)
	if err := registry.Set(name); err != nil {
		panic("gemm: calibration chose an unknown kernel: " + err.Error())
	}
	selection = prefix + "calibrated: " + detail
	if env == "invalid" {
		selection = calibrationEnv + " invalid, " + selection
	}
	parallelMinMACs.Store(parallelThreshold(rates[name]))
	writeCachedChoice(cachedChoice{Key: key, Kernel: name, Detail: detail, Rates: rates})
}

// forcedRate returns the one-core rate of a kernel forced by the
// environment: from the cache when a calibration there measured it on this
// CPU, else timed now (and not cached: the cache holds a choice).
func forcedRate(name string) float64 {
	if c, ok := readCachedChoice(cacheKey(measuredKernels())); ok && c.Rates[name] > 0 {
		return c.Rates[name]
	}
	_, rates, _ := calibrate([]string{name})
	return rates[name]
}

// measuredKernels lists the kernels the calibration times (and its cache
// key names): the assembly kernels, or the portable one where there is none.
func measuredKernels() []string {
	if names := asmKernelNames(); len(names) > 0 {
		return names
	}
	return []string{genericKernelName}
}

// asmKernelNames lists the assembly kernels this CPU can run (all kernels but
// the portable one, which is never the fastest where another exists).
func asmKernelNames() []string {
	var names []string
	for _, k := range available {
		if k.name != genericKernelName {
			names = append(names, k.name)
		}
	}
	return names
}

// calibrate times a calibrationSize³ SGEMM on the calling goroutine with each
// named kernel, alternating kernels over calibrationRounds rounds so that a
// burst of load from other processes hits them alike, and returns the
// fastest (by best round), the rate of each (GFLOP/s, one core) and a
// description of the rates.
func calibrate(names []string) (string, map[string]float64, string) {
	n := calibrationSize
	a := make([]float32, n*n)
	b := make([]float32, n*n)
	c := make([]float32, n*n)
	for i := range a {
		a[i] = float32(i%7) - 3
		b[i] = float32(i%5) - 2
	}
	sets := make([]*kernelSet, len(names))
	for i, name := range names {
		sets[i] = kernelByName(name)
	}
	best := make([]time.Duration, len(names))
	for r := range calibrationRounds + 1 {
		for i, ks := range sets {
			t0 := time.Now()
			serialGemm(&eng32, &ks.s, n, n, n, a, b, c)
			d := time.Since(t0)
			if r > 0 && (best[i] == 0 || d < best[i]) { // round 0 warms up
				best[i] = d
			}
		}
	}
	pick := 0
	for i := 1; i < len(sets); i++ {
		if float64(best[i]) < float64(best[pick])*(1-calibrationMargin) {
			pick = i
		}
	}
	flops := 2 * float64(n) * float64(n) * float64(n)
	parts := make([]string, len(names))
	rates := make(map[string]float64, len(names))
	for i, name := range names {
		rates[name] = flops / best[i].Seconds() / 1e9
		parts[i] = fmt.Sprintf("%s %.1f GFLOP/s", name, rates[name])
	}
	return names[pick], rates, strings.Join(parts, ", ") + fmt.Sprintf(" on one core, SGEMM %d³", n)
}

// serialGemm computes C = A·B (n×n, row-major) with kernel k on the calling
// goroutine, through the same packing and tiling as every product.
func serialGemm(e *engine[float32], k *blockKernel[float32], m, n, kk int, a, b, c []float32) {
	j := &job[float32]{eng: e, k: k, m: m, n: n, kk: kk, alpha: 1, a: a, lda: kk, b: b, ldb: n, c: c, ldc: n}
	w := e.workspace(k)
	j.block(w, target[float32]{c: c, ldc: n}, 0, m, 0, n, 0, kk)
	e.workspaces.Put(w)
}

func kernelByName(name string) *kernelSet {
	for _, k := range available {
		if k.name == name {
			return k
		}
	}
	panic("gemm: no kernel " + name)
}

// cachedChoice is the content of the calibration cache file.
type cachedChoice struct {
	Key    string             `json:"key"`
	Kernel string             `json:"kernel"`
	Detail string             `json:"detail"`
	Rates  map[string]float64 `json:"gflops"` // one core, per kernel measured
}

// cacheKey identifies the machine and the kernels measured: a cached choice
// is used only on the same CPU model with the same candidates.
func cacheKey(names []string) string {
	return fmt.Sprintf("v%d|%s|%s", calibrationFormat, cpuModel(), strings.Join(names, ","))
}

func cachePath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "nongrid-jepa", "gemm-kernel.json")
}

func readCachedChoice(key string) (cachedChoice, bool) {
	p := cachePath()
	if p == "" {
		return cachedChoice{}, false
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return cachedChoice{}, false
	}
	var c cachedChoice
	if json.Unmarshal(data, &c) != nil || c.Key != key || !slices.Contains(Kernels(), c.Kernel) {
		return cachedChoice{}, false
	}
	return c, true
}

// writeCachedChoice stores the choice; a cache that cannot be written (a
// read-only home, no cache directory) only means measuring again next time.
func writeCachedChoice(c cachedChoice) {
	p := cachePath()
	if p == "" {
		return
	}
	data, err := json.Marshal(c)
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(p), 0o755) != nil {
		return
	}
	tmp := p + fmt.Sprintf(".%d.tmp", os.Getpid())
	if os.WriteFile(tmp, append(data, '\n'), 0o644) != nil {
		return
	}
	if os.Rename(tmp, p) != nil {
		os.Remove(tmp)
	}
}

// cpuModel returns the CPU's vendor, family, model, stepping and model
// name from /proc/cpuinfo (Linux; virtual machines often report a generic
// model name), or "unknown".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	fields := map[string]string{}
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 64<<10), 1<<20)
	for s.Scan() {
		line := s.Text()
		if strings.TrimSpace(line) == "" {
			break // first processor only
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			fields[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	if fields["model name"] == "" {
		return "unknown"
	}
	return fmt.Sprintf("%s/%s/%s/%s/%s", fields["vendor_id"], fields["cpu family"], fields["model"], fields["stepping"], fields["model name"])
}
