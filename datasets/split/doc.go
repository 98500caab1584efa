// Package split makes the index splits that frozen-feature evaluation needs,
// reproducing the reference libraries index for index.
//
// It holds three things:
//
//   - NumpyRandomState, the MT19937 generator of numpy's legacy
//     numpy.random.RandomState seeded with an integer, with the legacy
//     Shuffle, Permutation, RandomSample and Randint methods. Its output equals
//     numpy's bit for bit, so splits that scikit-learn draws from a
//     random_state can be drawn here too.
//   - KFold and StratifiedKFold, which return the same train/test indices as
//     scikit-learn's KFold and StratifiedKFold (scikit-learn ≥ 0.22 for the
//     stratified algorithm, checked against 1.2.1 and the current source).
//     Graph-JEPA evaluates TU datasets with
//     StratifiedKFold(n_splits=10, shuffle=True, random_state=12345) over the
//     whole dataset; StratifiedKFold{NSplits: 10, Shuffle: true, Seed: 12345}
//     gives the same folds.
//   - Few-shot N-way K-shot episodes (SampleEpisode), drawn from an explicit
//     *rand.Rand, following the Point-BERT protocol (K support and 20 query
//     samples per class).
//
// The package uses only the standard library, so both datasets and probe can
// import it.
package split
