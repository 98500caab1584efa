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
//
// Entry points: Pretrain builds and pre-trains a Model; Embed gives the
// frozen evaluation embedding [graphs, d]; Reproduce runs the paper's
// protocol (a fresh model per fold, logistic regression on the embeddings);
// FineTune trains a copy of the encoder Embed uses with a linear task head
// on labelled graphs, as the transfer-learning benchmarks of molecules do
// (pretrain-gnns, Hu et al., ICLR 2020: masked binary cross-entropy over
// multi-task labels, 100 epochs of batch 32, Adam 1e-3, dropout 0.5).
package graphjepa
