// Package pointjepa is Point-JEPA (Saito, Kudeshia, Poovvancheri, "Point-JEPA:
// A Joint Embedding Predictive Architecture for Self-Supervised Learning on
// Point Cloud", arXiv 2404.16432, WACV 2025) end to end: the patch tokenizer
// (FPS centers, KNN groups, mini-PointNet), the greedy nearest-neighbour
// sequencer, contiguous target and context blocks, the student/teacher
// transformer encoders and the narrow predictor, pretraining, embedding,
// saving in the reference's safetensors names, and fine-tuning.
//
// The reference is the official code, Ayumu-J-S/Point-JEPA, with its released
// configuration (configs/Point-JEPA/pretraining/shapenet.yaml); the spec is
// spec/point-jepa.md. Where the released config differs from the paper text
// (EMA τ 0.9995 → 0.99999, a constant predictor drop-path) this package follows
// the config, and every deviation it offers is an opt-in Config field.
//
// # Entry points
//
//	cfg, _ := pointjepa.Preset("small")
//	m, err := pointjepa.Pretrain(ctx, trainSet, cfg, pointjepa.Options{RunDir: "run"})
//	feats, err := m.Embed(testSet.Clouds)     // [len(clouds), 2·Width]: §2.1's [max, mean]
//	err = m.Save("model")                      // model/config.json + model/model.safetensors
//	m, err = pointjepa.Load("model")
//
// Clouds are []datasets.PointCloud (the element type of datasets.PointSet.Clouds).
//
// # Data orientation
//
// Pretraining rotates clouds about the y axis (§1.2). The ModelNet40 npy
// export is Z-up: load it with datasets.NpyConfig{Columns: []int{0, 2, 1}} to
// read it Y-up, as ShapeNet and the reference's ModelNet40 h5 files are.
package pointjepa
