# scikit-learn twin of probe's CrossValidate benchmarks (go test -bench CrossValidate ./probe):
# the same generated data (numpy RandomState, as probe/gen_test.go numpyBlobsNoise), the same
# Graph-JEPA folds. Comparison only: the project never needs Python.
#   /usr/bin/python3 scripts/sklearn_probe_bench.py [logistic|svc|linearsvc ...]   (default: all three)
# Threads: set OPENBLAS_NUM_THREADS / OMP_NUM_THREADS (scripts/lr_ratio.sh sets 1 for the per-core row).
import sys, time, numpy as np
from sklearn.model_selection import StratifiedKFold
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC, LinearSVC
def blobs(seed, n, d, k, noise):
    r = np.random.RandomState(seed)
    centers = [[2*r.random_sample()-1 for _ in range(d)] for _ in range(k)]
    X = np.zeros((n, d)); y = np.zeros(n, dtype=int)
    for i in range(n):
        c = int(r.randint(0, k)); y[i] = c
        for j in range(d):
            X[i, j] = centers[c][j] + noise*(r.random_sample()-0.5)
        X[i, 0] = X[i, 0]*X[i, 1]
    return X, y
X, y = blobs(7, 2000, 512, 10, 14.0)
folds = list(StratifiedKFold(10, shuffle=True, random_state=12345).split(X, y))
probes = {"logistic": ("LogisticRegression(max_iter=10000)", lambda: LogisticRegression(max_iter=10000)),
          "svc": ("SVC(C=0.012, kernel=linear)", lambda: SVC(C=0.012, kernel='linear')),
          "linearsvc": ("LinearSVC()", lambda: LinearSVC())}
for key in sys.argv[1:] or list(probes):
    name, mk = probes[key]
    t = time.perf_counter()
    acc = [mk().fit(X[tr], y[tr]).score(X[te], y[te]) for tr, te in folds]
    print(name, "%.2f s" % (time.perf_counter() - t), "acc %.4f" % np.mean(acc))
