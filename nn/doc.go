// Package nn is the engine layer of nongrid/jepa: parameters, layers, custom
// differentiable ops, optimizers, learning-rate schedules, safetensors
// checkpoints and finite-difference gradient checks, built on gorgonia's
// TapeMachine (gorgonia.org/gorgonia v0.9.18).
//
// # Engine rules
//
// The package follows the findings of the engine evaluation (spec/engine.md):
// graphs run on a TapeMachine with symbolic gradients (gorgonia.Grad) only;
// InverseSqrt and ByIndices on an axis other than 0 are never used (their
// gradients are wrong in v0.9.18); values that must be read after a run are
// read through Program outputs (gorgonia.Read), never from intermediate nodes
// (gorgonia/gorgonia#576). Hot layers (Linear, LayerNorm, GELU, BatchNorm,
// attention, gather/scatter) are fused custom ops whose forward and backward
// call BLAS directly; every op, custom or built-in, has a float64
// finite-difference gradient test.
//
// # Parameters and layout
//
// A Param holds its data in PyTorch layout under a PyTorch-style dotted name
// ("encoder.blocks.0.attn.qkv.weight"; Linear weights are [out, in]), so a
// state dict saved with SaveSafetensors loads into PyTorch with
// torch.load/safetensors and back. Optimizers, gradient clipping and EMA work
// directly on parameter slices, outside any graph.
//
// # Shapes
//
// Graph shapes are fixed when a graph is built. Layers check their input
// shapes when they are added to a graph and return an error naming both
// shapes; Programs are compiled once per shape and may be cached by the
// caller (for example one per padded bucket).
//
// Both float32 (training) and float64 (gradient checks) work everywhere.
package nn
