// Package gnn holds the encoders for non-grid inputs that Graph-JEPA and
// Point-JEPA share: message passing over graph batches, graph readouts,
// PointNet-style set encoders and Set Transformer blocks. Everything is
// built on package nn (gorgonia TapeMachine graphs) and works in float32
// (training) and float64 (gradient checks).
//
// # Graph batches
//
// Batches follow PyTorch Geometric: node features X [N, F], directed edges
// Source → Target (edge_index, flow "source_to_target": messages go from
// row 0 to row 1), edge features [M, EF], and the node-to-graph vector
// batch [N]. NewGraphInputs turns a datasets.GraphBatch into graph inputs
// (nn.Input for X and EdgeAttr, nn.Indices for the index vectors); a
// compiled program serves every batch of the same shape after
// GraphInputs.Set.
//
// # Message passing
//
// Propagate is the shared mechanism: it gathers source rows, adds an
// optional edge term, optionally applies ReLU, and reduces at the targets
// with sum, mean or max — as one fused, deterministic op that never
// materialises the M×D messages. GIN (GINConv), GINE (GINEConv) and GCN
// (GCNConv) are built on it with PyG's semantics and state-dict names;
// Block adds Graph-JEPA's BatchNorm → ReLU → residual around a conv, and
// MixerMLP (GraphJEPAMLP) is the Graph-ViT-MLPMixer MLP Graph-JEPA puts
// inside its GINE layers.
//
// When node and edge inputs come from small tables of distinct rows
// (one-hot atom and bond types, or one row for featureless graphs), many
// nodes receive the same first-layer input: GroupNodes groups them by
// their class and the multiset of (source class, edge class) over their
// in-edges, and Block.ForwardGrouped runs a GINE block on one row per
// group, its norms weighting each row by the group's size
// (nn.BatchNorm.ForwardRepeated, MixerMLP.ForwardRepeated). Gathering the
// result back gives the block's output at every node, with the same
// parameter gradients.
//
// # Readouts and sets
//
// SumPool, MeanPool and MaxPool are PyG's global_*_pool; MaskedMean
// averages a padded [B, T, D] axis under a mask (Graph-JEPA's evaluation
// pooling); ToDenseBatch is to_dense_batch. PointNet and MiniPointNet
// (Point-JEPA's patch tokenizer) encode point sets; MAB, SAB, ISAB and PMA
// are the Set Transformer blocks (Lee et al. 2019) with key padding masks,
// in the paper's form or the official code's (SetForm).
//
// # Shapes
//
// Shapes are fixed when a graph is built; layers are shape-agnostic and
// check shapes when added, returning errors that name both shapes. Index
// values (edges, batch vectors) may change between runs; each run checks
// them and fails with an error naming the first one out of range.
package gnn
