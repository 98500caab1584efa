// Package probe evaluates frozen features the way the JEPA papers do: linear
// classifiers and a ridge regressor fitted on embeddings, cross-validation
// with scikit-learn-exact folds, few-shot episodes, and mean ± std reports.
//
// Classifiers (float64; features are an n×d matrix, one row per sample;
// labels any integers):
//
//   - LogisticRegression: scikit-learn's LogisticRegression(solver="lbfgs")
//     objective, Σ log-loss + ‖W‖²/(2C) with unpenalised intercepts,
//     binomial for two classes and multinomial otherwise, minimised with
//     gonum's L-BFGS and scipy's stopping rules. Graph-JEPA's TU protocol is
//     LogisticRegression{MaxIter: 10000} (sklearn's
//     LogisticRegression(max_iter=10000), no feature scaling).
//   - LinearSVC: liblinear's dual coordinate descent for L2-regularised
//     hinge or squared-hinge loss, one-vs-rest, with liblinear's regularised
//     bias feature: scikit-learn's LinearSVC.
//   - SVC: libsvm's SMO (second-order working-set selection) with a linear
//     kernel, an unregularised bias and one-vs-one voting with libsvm's
//     tie-breaking: scikit-learn's SVC(kernel="linear"). Point-JEPA's
//     ModelNet40 protocol is SVC{C: 0.012}.
//
// Regression: Ridge, scikit-learn's Ridge() in closed form (Graph-JEPA's
// ZINC protocol), with MAE and RMSE.
//
// Protocols: CrossValidate runs a classifier over folds from datasets/split,
// whose StratifiedKFold reproduces scikit-learn's folds exactly, so
// KFoldAccuracy with GraphJEPAFolds evaluates on Graph-JEPA's 10 folds.
// Repeat runs a protocol per seed; SummarizeFolds reports mean ± std as
// Graph-JEPA's TU logs do (mean over runs of the fold means ± mean over runs
// of the fold population stds) and SummarizeRuns as its ZINC log does (mean
// ± population std over runs). FewShot runs N-way K-shot episodes. A Report
// prints as "91.25 ± 5.75" and marshals to JSON.
//
// Agreement with scikit-learn (1.2.1) is tested on generated data (the
// out-of-fold predictions of every classifier match sample for sample) and
// on MUTAG label/degree histograms with Graph-JEPA's folds (identical
// per-fold accuracies).
//
// Every solver is deterministic: work is split into fixed chunks and
// combined in a fixed order, so results do not depend on the number of
// CPUs. Bad data (NaN or Inf features, mismatched lengths, a single class,
// empty input) gives an error, never a panic.
package probe
