// Package datasets holds the data types, loaders, transforms and
// downloads of nongrid/jepa: graphs for Graph-JEPA and point clouds for
// Point-JEPA.
//
// # Graphs
//
// A Graph stores one undirected graph in CSR form with float32 node
// features X [N,F], optional edge features EdgeAttr [2E,EF] aligned with
// the CSR entries, the integer node and edge labels the features came from,
// and a class Y or regression Target. Graph.Undirected adapts it, without
// copying, to gonum's graph.Undirected. A GraphSet is a dataset (class
// count, feature widths, Subset, predefined folds); CollateGraphs packs
// graphs into a GraphBatch laid out like a PyTorch Geometric Batch (X,
// EdgeIndex [2,M] with both directions of every edge, Batch, Ptr),
// reusing the batch's buffers.
//
// Loaders, all streaming and returning *ParseError values that name the
// file and line (or field) of any data problem:
//
//   - LoadTU: the TU text format (Morris et al. 2020), from a folder or a
//     .zip, with PyG TUDataset semantics (0-based nodes, sorted-unique
//     graph label remapping, one-hot node/edge labels shifted by their
//     minimum, self-loops removed, duplicates coalesced). Sets without
//     node features get X by a FeatureRule: constant zero (Graph-JEPA, the
//     default), PyG's benchmark degree rule, one-hot or normalised degree.
//   - LoadGIN: the single-file text format of GIN and DGCNN, with its
//     10-fold index files as GraphSet.Folds.
//   - LoadZINC: pickled lists of networkx graphs (the ZINC-12k split
//     files), decoded in pure Go with numpy scalar and array support.
//   - SyntheticGraphs: a seeded, learnable three-family classification set
//     used when no data is at hand.
//   - LoadGraphs detects the format; Fetch downloads TU (and GIN-format)
//     archives into a cache with SHA-256 checks.
//
// Errors name the cause, not its symptom: detection says what it found
// and what is missing (an *AmbiguousError when a folder holds several
// datasets: set TUConfig.Name or GINConfig.Name), a damaged zip is
// ErrDamagedArchive (a failed load from a zip checks every entry's CRC-32
// before reporting), and files present but unused under the configuration
// are listed in GraphSet.Notes. Loaders accept unlabelled sets, since
// pretraining needs no labels; evaluation calls GraphSet.RequireLabels
// (ErrNoLabels).
//
// Transforms implement GraphTransform (ConstantFeature, OneHotDegree,
// NormalizedDegree) and compose with GraphCompose. Stratified k-fold
// splits live in package datasets/split.
//
// # Point clouds
//
// PointCloud, PointSet and PointBatch hold point clouds ([B,P,3] batches
// as in Point-MAE and Point-JEPA), with loaders for ModelNet40 .npy files,
// cloud transforms, farthest-point sampling, KNN grouping and a synthetic
// shape set (SyntheticClouds).
package datasets
