package split

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// EpisodeConfig describes an N-way K-shot few-shot episode. The zero value
// is Point-BERT's 5-way 10-shot setting with 20 query samples per class
// (Yu et al., "Point-BERT", CVPR 2022, §4.2: "randomly select N classes and
// sample K+20 objects for each class"); Point-JEPA and Point-MAE report
// 5/10-way × 10/20-shot, mean ± std over 10 such episodes.
type EpisodeConfig struct {
	// Way is the number of classes N; zero means 5.
	Way int
	// Shot is the number of support (training) samples per class K; zero
	// means 10.
	Shot int
	// Query is the number of query (test) samples per class; zero means 20.
	Query int
	// SkipSmallClasses draws the N classes only among classes with at least
	// Shot+Query samples. When false (the default), any class with fewer
	// samples is an error, so no class is left out silently.
	SkipSmallClasses bool
}

func (c EpisodeConfig) way() int   { return defaultInt(c.Way, 5) }
func (c EpisodeConfig) shot() int  { return defaultInt(c.Shot, 10) }
func (c EpisodeConfig) query() int { return defaultInt(c.Query, 20) }

func defaultInt(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

// Episode is one few-shot task: indices into the labels it was drawn from.
// Support holds Shot samples of Classes[0], then Shot of Classes[1], and so
// on; Query likewise holds Query samples per class in the same class order.
// No index appears twice.
type Episode struct {
	Support []int
	Query   []int
	Classes []int // the N labels drawn, in draw order
}

// SampleEpisode draws one episode from labels using rng: N distinct classes
// uniformly at random, then for each a uniformly random set of Shot+Query
// of its samples, the first Shot as support and the rest as query. The same
// rng state gives the same episode.
//
// It returns an error for non-positive sizes, for fewer than N classes, and
// for classes with fewer than Shot+Query samples (see SkipSmallClasses).
func SampleEpisode(labels []int, cfg EpisodeConfig, rng *rand.Rand) (Episode, error) {
	way, shot, query := cfg.way(), cfg.shot(), cfg.query()
	if way < 1 || shot < 1 || query < 1 {
		return Episode{}, fmt.Errorf("split: episode sizes must be positive, got %d-way %d-shot %d-query", way, shot, query)
	}
	byClass := make(map[int][]int)
	for i, l := range labels {
		byClass[l] = append(byClass[l], i)
	}
	classes := make([]int, 0, len(byClass))
	for c, idx := range byClass {
		if len(idx) < shot+query {
			if !cfg.SkipSmallClasses {
				return Episode{}, fmt.Errorf("split: class %d has %d samples, fewer than %d shot + %d query", c, len(idx), shot, query)
			}
			continue
		}
		classes = append(classes, c)
	}
	if len(classes) < way {
		return Episode{}, fmt.Errorf("split: %d-way episode needs %d classes with at least %d samples, found %d", way, way, shot+query, len(classes))
	}
	slices.Sort(classes) // map order must not leak into the draw

	ep := Episode{
		Support: make([]int, 0, way*shot),
		Query:   make([]int, 0, way*query),
		Classes: make([]int, way),
	}
	for i, j := range rng.Perm(len(classes))[:way] {
		ep.Classes[i] = classes[j]
	}
	for _, c := range ep.Classes {
		idx := byClass[c]
		for i, j := range rng.Perm(len(idx))[:shot+query] {
			if i < shot {
				ep.Support = append(ep.Support, idx[j])
			} else {
				ep.Query = append(ep.Query, idx[j])
			}
		}
	}
	return ep, nil
}
