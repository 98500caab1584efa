package jepa

import (
	"context"
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// RankMeHook returns a hook that computes RankMe of the embeddings
// returned by embed (one row per sample, e.g. target-encoder embeddings of
// a fixed probe set) and stores it in the current record under KeyRankMe.
// Attach it with EveryNSteps or OnEpoch.
func RankMeHook(embed func(ctx context.Context, t *Trainer) (mat.Matrix, error)) HookFunc {
	return func(ctx context.Context, t *Trainer) error {
		z, err := embed(ctx, t)
		if err != nil {
			return fmt.Errorf("rankme embeddings: %w", err)
		}
		r, err := RankMe(z)
		if err != nil {
			return err
		}
		t.Record().Set(KeyRankMe, r)
		return nil
	}
}

// LiDARHook returns a hook that computes LiDAR of the surrogate-class
// embeddings returned by views (n·q rows, class-major: q views of each of
// n samples, e.g. q context masks per graph or cloud) and stores it in
// the current record under KeyLiDAR.
func LiDARHook(views func(ctx context.Context, t *Trainer) (e mat.Matrix, n, q int, err error), cfg LiDARConfig) HookFunc {
	return func(ctx context.Context, t *Trainer) error {
		e, n, q, err := views(ctx, t)
		if err != nil {
			return fmt.Errorf("lidar embeddings: %w", err)
		}
		l, err := LiDAR(e, n, q, cfg)
		if err != nil {
			return err
		}
		t.Record().Set(KeyLiDAR, l)
		return nil
	}
}
