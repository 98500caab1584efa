package pointjepa

import (
	"fmt"
	"math/rand/v2"

	"github.com/nongrid/jepa/datasets"
)

// grouped is one pretraining batch ready for the graph: transformed points,
// their patches and centers, and each cloud's sequencer order.
type grouped struct {
	batch  datasets.PointBatch
	groups datasets.Groups
	order  []int // [B·G] sequencer position → FPS index
	err    error
}

// feeder prepares pretraining batches on its own goroutine, one batch ahead
// of the training step: collation, the augmentations of §1.2 (FPS subsample
// to Config.Points, anisotropic scale, centring, unit sphere, rotation about
// y), the grouping of §1.3 and the sequencer of §1.5. Its randomness comes
// from the generator passed to start, drawn in batch order, so the batches
// do not depend on timing.
type feeder struct {
	set  *datasets.PointSet
	cfg  *Config
	free chan *grouped
	out  chan *grouped
	stop chan struct{}
	done chan struct{}

	fps     datasets.FPSSubsample
	grouper datasets.Grouper
	seq     sequencer
	clouds  []datasets.PointCloud
	one     datasets.PointCloud
}

func newFeeder(set *datasets.PointSet, cfg *Config) *feeder {
	f := &feeder{set: set, cfg: cfg,
		free: make(chan *grouped, 2), out: make(chan *grouped, 1),
		fps:     datasets.FPSSubsample{N: cfg.Points, Workers: cfg.Workers},
		grouper: datasets.Grouper{NumGroups: cfg.Groups, GroupSize: cfg.GroupSize, Workers: cfg.Workers},
		seq:     sequencer{method: cfg.Sequencer},
	}
	f.free <- &grouped{}
	f.free <- &grouped{}
	return f
}

// start begins an epoch: steps batches of cfg.BatchSize clouds in the order
// perm, prepared with randomness from rng, of which the first skip are
// prepared and dropped (a run resumed mid-epoch: the batches it gets then
// are bit for bit those of the uninterrupted epoch). A running epoch is
// stopped first.
func (f *feeder) start(perm []int, steps, skip int, rng *rand.Rand) {
	f.halt()
	f.stop, f.done = make(chan struct{}), make(chan struct{})
	go f.run(perm, steps, skip, rng, f.stop, f.done)
}

// next returns the next batch; give it back with release.
func (f *feeder) next() (*grouped, error) {
	gb, ok := <-f.out
	if !ok {
		return nil, fmt.Errorf("pointjepa: no more batches in this epoch")
	}
	if gb.err != nil {
		err := gb.err
		gb.err = nil
		f.release(gb)
		return nil, err
	}
	return gb, nil
}

func (f *feeder) release(gb *grouped) { f.free <- gb }

// halt stops the producer of the current epoch and recycles its batches.
func (f *feeder) halt() {
	if f.stop == nil {
		return
	}
	close(f.stop)
	for running := true; running; {
		select {
		case gb := <-f.out:
			f.free <- gb
		case <-f.done:
			running = false
		}
	}
	for len(f.out) > 0 {
		f.free <- <-f.out
	}
	f.stop = nil
}

func (f *feeder) run(perm []int, steps, skip int, rng *rand.Rand, stop, done chan struct{}) {
	defer close(done)
	B := f.cfg.BatchSize
	for s := 0; s < steps; s++ {
		var gb *grouped
		select {
		case gb = <-f.free:
		case <-stop:
			return
		}
		gb.err = f.prepare(gb, perm[s*B:(s+1)*B], rng)
		if s < skip && gb.err == nil {
			f.free <- gb
			continue
		}
		select {
		case f.out <- gb:
		case <-stop:
			f.free <- gb
			return
		}
		if gb.err != nil {
			return
		}
	}
}

// prepare fills gb with the clouds idx of the set.
func (f *feeder) prepare(gb *grouped, idx []int, rng *rand.Rand) error {
	cfg := f.cfg
	f.clouds = f.clouds[:0]
	same := true
	for _, i := range idx {
		c := f.set.Clouds[i]
		if c.Len() != f.set.Clouds[idx[0]].Len() {
			same = false
		}
		f.clouds = append(f.clouds, c)
	}
	if !same { // subsample cloud by cloud to a common size, then collate
		for j := range f.clouds {
			if f.clouds[j].Len() > cfg.Points {
				f.one = f.clouds[j].Clone()
				if err := f.fps.TransformCloud(&f.one, rng); err != nil {
					return fmt.Errorf("pointjepa: %s: %w", cloudLabel(idx[j], &f.set.Clouds[idx[j]]), err)
				}
				f.clouds[j] = f.one
				f.one = datasets.PointCloud{}
			}
		}
	}
	if _, err := datasets.Collate(&gb.batch, f.clouds); err != nil {
		return fmt.Errorf("pointjepa: collating a batch: %w", err)
	}
	b := &gb.batch
	if b.P > cfg.Points {
		if err := f.fps.TransformBatch(b, rng); err != nil {
			return err
		}
	}
	if err := (datasets.AnisotropicScale{Min: cfg.ScaleMin, Max: cfg.ScaleMax}).TransformBatch(b, rng); err != nil {
		return err
	}
	if err := (datasets.Center{}).TransformBatch(b, rng); err != nil {
		return err
	}
	if err := (datasets.UnitSphere{}).TransformBatch(b, rng); err != nil {
		return err
	}
	if !cfg.NoRotate {
		if err := (datasets.RotateAxis{}).TransformBatch(b, rng); err != nil {
			return err
		}
	}
	if _, err := f.grouper.Group(&gb.groups, b, rng); err != nil {
		return err
	}
	gb.order = grow(gb.order, b.B*cfg.Groups)
	f.seq.order(gb.order, gb.groups.Centers, b.B, cfg.Groups)
	return nil
}
