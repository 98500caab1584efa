// Package graphjepa is Graph-JEPA (Skenderi, Li, Tang, Cristani, "Graph-level
// Representation Learning with Joint-Embedding Predictive Architectures",
// arXiv 2309.16014, TMLR 2025) end to end: on-the-fly patching of graphs
// into overlapping subgraphs, the GINE patch encoder, the context and
// Hadamard-attention target encoders, the unit-hyperbola target, the
// predictor, pretraining, embedding and the paper's evaluation protocol.
//
// The reference is the official code, geriskenderi/graph-jepa; where it
// differs from the paper text this package follows the code (it produced the
// published logs) and offers the clean variant as a documented config field.
package graphjepa
