// Package jepa is the training machinery that every Joint-Embedding
// Predictive Architecture of nongrid/jepa shares (Graph-JEPA: Skenderi et
// al., arXiv 2309.16014; Point-JEPA: Saito et al., arXiv 2404.16432; I-JEPA:
// Assran et al., arXiv 2301.08243).
//
// # Training loop
//
// A Trainer runs a Model (the JEPA-specific part: one forward/backward step
// per call, its parameters, and the context/target encoder pairing) for
// Config.Epochs × Config.StepsPerEpoch optimizer steps. Around each step it
// zeroes the gradients, guards against NaN/Inf, clips the gradient norm,
// steps the optimizer (Adam or AdamW from nn), updates the target encoder by
// EMA and drives the learning-rate schedule, per step or per epoch.
// Everything else attaches as a named hook with a priority, GoMLX style
// (OnStart, OnStep, EveryNSteps, OnEpoch, OnEnd): metrics, checkpoints,
// collapse monitors, the progress display and evaluation are hooks, so they
// attach without touching the loop.
//
// # Run directory
//
// A run directory holds config.json (the resolved Config, seed and code
// version), metrics.jsonl (one JSON object per logged step or epoch, see
// Record), checkpoints/step-NNNNNNNN/ (model.safetensors with PyTorch names,
// optimizer.safetensors, state.json with counters, RNG and scheduler state),
// and PNG plots of the loss and monitors (PlotRun). Resume continues a
// stopped run and reaches bit for bit the parameters of an uninterrupted
// run with the same seed.
//
// # Losses
//
// SmoothL1Loss (torch.nn.SmoothL1Loss(beta), mean reduction), MSELoss and
// HyperbolicDistLoss (through package hyperbolic) are fused differentiable
// graph ops (nn.CustomOp) with finite-difference gradient tests. Point-JEPA's
// target normalisation is nn.LayerNormOp without affine parameters.
//
// # Monitors
//
// TokenStd (Point-JEPA's per-dimension standard deviation, averaged), RankMe
// (Garrido et al., arXiv 2210.02885) and LiDAR (Thilak et al., arXiv
// 2312.04000) detect representation collapse; the trainer logs them next to
// the loss, the gradient norm, the learning rate, the EMA momentum and the
// throughput.
package jepa
