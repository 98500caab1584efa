package jepa

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard selects part of an evaluation protocol's jobs, so that the
// protocol can be fanned out over processes or machines (a Slurm array, a
// Kubernetes Indexed Job) and assembled afterwards from the records the
// shards wrote (graphjepa.Merge, pointjepa.MergeFewShot).
//
// The assignment is fixed: a protocol numbers its jobs j = outer·inner +
// fold (0-based, JobIndex: Graph-JEPA's (run, fold), Point-JEPA's few-shot
// (setting, fold)), and job j belongs to shard j mod Count. Shard 0/1, like
// the zero value, is the whole protocol. With Count equal to the number of
// jobs every shard runs exactly one job.
type Shard struct {
	Index int // 0 ≤ Index < Count
	Count int // ≥ 1; 0 means 1 (the whole protocol)
}

// ParseShard reads a shard spec "i/n" (0 ≤ i < n): "3/50" is the fourth
// of 50 shards. Anything else ("3/2", "0/0", "a/b", "-1/4", "1") is an
// error that quotes the spec.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want i/n, e.g. 0/50 (shard i of n, 0 ≤ i < n)", s)
	}
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("shard %q: i and n must be integers (want i/n, e.g. 0/50)", s)
	}
	if n < 1 {
		return Shard{}, fmt.Errorf("shard %d/%d: the shard count must be at least 1", i, n)
	}
	sh := Shard{Index: i, Count: n}
	if err := sh.Validate(); err != nil {
		return Shard{}, err
	}
	return sh, nil
}

// Validate reports a shard whose Count is negative or whose Index is not
// in 0..Count−1 (the zero value is valid: the whole protocol).
func (s Shard) Validate() error {
	n := s.Shards()
	switch {
	case s.Count < 0:
		return fmt.Errorf("shard %d/%d: the shard count must be at least 1", s.Index, s.Count)
	case s.Count == 0 && s.Index != 0:
		return fmt.Errorf("shard %d/0: the shard count must be at least 1", s.Index)
	case s.Index < 0 || s.Index >= n:
		return fmt.Errorf("shard %d/%d: the index must be in 0..%d (shards are numbered from 0)", s.Index, n, n-1)
	}
	return nil
}

// Shards is the number of shards: Count, or 1 for the zero value.
func (s Shard) Shards() int { return max(s.Count, 1) }

// Whole reports whether s is the whole protocol (0/1 or the zero value).
func (s Shard) Whole() bool { return s.Shards() == 1 }

// Owns reports whether job j belongs to s (j mod Count = Index).
func (s Shard) Owns(j int) bool { return j%s.Shards() == s.Index }

// Jobs returns the indices of the jobs of s among total jobs, ascending.
func (s Shard) Jobs(total int) []int {
	var js []int
	for j := s.Index; j < total; j += s.Shards() {
		js = append(js, j)
	}
	return js
}

// String is the spec ParseShard reads ("0/1" for the zero value).
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Shards()) }

// JobIndex is the number of the job (outer, fold) in a protocol of folds
// folds per outer unit (a run, a few-shot setting): outer·folds + fold.
func JobIndex(outer, fold, folds int) int { return outer*folds + fold }

// OwnerOf names the shard that should hold job j when the records found
// were all written with one shard count ("shard 3/50"), or "" when the
// counts seen (keys of counts) are not a single one.
func OwnerOf(j int, counts map[int]bool) string {
	if len(counts) != 1 {
		return ""
	}
	for n := range counts {
		return fmt.Sprintf("shard %d/%d", j%n, n)
	}
	return ""
}
