// Package probe evaluates frozen features the way the JEPA papers do: linear
// classifiers and a ridge regressor fitted on embeddings, cross-validation
// with scikit-learn-exact folds, few-shot episodes, and mean ± std reports.
//
// Classifiers (all float64, features as an n×d matrix, one row per sample):
//
//   - LogisticRegression: L2-penalised logistic regression with
//     scikit-learn's LogisticRegression(solver="lbfgs") objective (binomial
//     for two classes, multinomial otherwise), minimised with gonum's L-BFGS.
//     Graph-JEPA's TU protocol uses LogisticRegression(max_iter=10000).
//   - LinearSVC: liblinear's dual coordinate descent for L2-regularised
//     hinge or squared-hinge loss, one-vs-rest, with liblinear's regularised
//     bias feature; scikit-learn's LinearSVC.
//   - SVC: libsvm's SMO (second-order working-set selection) with a linear
//     kernel, an unregularised bias and one-vs-one voting with libsvm's
//     tie-breaking; scikit-learn's SVC(kernel="linear"). Point-JEPA evaluates
//     ModelNet40 with SVC(C=0.012, kernel="linear").
//
// Regression: Ridge, closed form, scikit-learn's Ridge() (Graph-JEPA's ZINC
// protocol), with MAE and RMSE.
//
// Protocols: CrossValidate runs a classifier over folds from
// datasets/split (StratifiedKFold reproduces scikit-learn's folds, so
// GraphJEPAFolds gives Graph-JEPA's exact 10 folds); SummarizeFolds
// aggregates repeated runs as Graph-JEPA reports them; FewShot runs N-way
// K-shot episodes. A Report prints as "91.25 ± 5.75" and marshals to JSON.
//
// Bad data (NaN or Inf features, mismatched lengths, a single class, empty
// input) gives an error, never a panic.
package probe
