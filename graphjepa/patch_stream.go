package graphjepa

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
)

// StreamConfig describes the batches a Stream produces: Epochs passes over
// Indices in batches of BatchSize (the last batch of an epoch may be
// smaller, as PyTorch's DataLoader with drop_last=False).
type StreamConfig struct {
	// Indices are the graphs to batch (indices into the Patcher's graphs);
	// nil means all of them.
	Indices []int
	// BatchSize is the number of graphs per batch; 0 means 128.
	BatchSize int
	// Shuffle draws a new order of Indices every epoch (DataLoader
	// shuffle=True); otherwise batches follow Indices.
	Shuffle bool
	// Train selects the training transform (edge drop, training PE pooling)
	// and a new patching every epoch. An evaluation stream (Train false)
	// patches every epoch exactly as the first: the held-out graphs are
	// patched once per fold, as the reference materialises its test list
	// once (trainer.py:210-214); with Shuffle the order still changes.
	Train bool
	// Seed seeds every draw: the epoch orders and each batch's patching.
	// The same Seed gives the same batches whatever the number of workers.
	Seed uint64
	// Epochs is the number of passes; 0 means 1.
	Epochs int
	// Ahead is the number of batches patched ahead of the consumer (and of
	// PatchBatch buffers recycled); 0 means 2·Workers, at least 2.
	Ahead int
}

// Stream yields patched batches produced by a pool of PatchConfig.Workers
// goroutines ahead of the consumer, in a fixed order. Batch k of the stream
// is patched with its own generator seeded by (Seed, epoch, k) — see
// BatchSeed — so the batches depend only on the StreamConfig. Next returns
// each batch once; the batch stays valid until the following call to Next
// (or Close), then its buffers are reused for a later batch.
type Stream struct {
	p   *Patcher
	cfg StreamConfig

	perEpoch int // batches per epoch
	total    int // batches over all epochs

	slots  []streamSlot
	free   chan struct{} // one token per slot not held by the consumer or in flight
	jobs   chan int
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	next    int // batch index Next returns next
	holding bool
	epoch   int
	err     error
	closed  bool
}

type streamSlot struct {
	batch *PatchBatch
	idx   []int
	epoch int
	err   error
	ready chan struct{}
}

// Stream starts patching batches as cfg describes, in the background, and
// returns the Stream that yields them. It fails on an invalid cfg (an index
// out of range, a negative size). Cancel ctx or call Close to stop early.
func (p *Patcher) Stream(ctx context.Context, cfg StreamConfig) (*Stream, error) {
	if cfg.Indices == nil {
		cfg.Indices = make([]int, len(p.graphs))
		for i := range cfg.Indices {
			cfg.Indices[i] = i
		}
	}
	switch {
	case len(cfg.Indices) == 0:
		return nil, errors.New("graphjepa: StreamConfig.Indices: no graphs")
	case cfg.BatchSize < 0:
		return nil, fmt.Errorf("graphjepa: StreamConfig.BatchSize = %d: want ≥ 1 (0 means 128)", cfg.BatchSize)
	case cfg.Epochs < 0:
		return nil, fmt.Errorf("graphjepa: StreamConfig.Epochs = %d: want ≥ 1 (0 means 1)", cfg.Epochs)
	case cfg.Ahead < 0:
		return nil, fmt.Errorf("graphjepa: StreamConfig.Ahead = %d: want ≥ 1 (0 means 2·Workers)", cfg.Ahead)
	}
	for _, i := range cfg.Indices {
		if i < 0 || i >= len(p.graphs) {
			return nil, fmt.Errorf("graphjepa: StreamConfig.Indices: graph index %d out of range [0,%d)", i, len(p.graphs))
		}
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = 128
	}
	if cfg.Epochs == 0 {
		cfg.Epochs = 1
	}
	workers := p.cfg.Workers
	if cfg.Ahead == 0 {
		cfg.Ahead = max(2*workers, 2)
	}
	s := &Stream{p: p, cfg: cfg}
	s.perEpoch = (len(cfg.Indices) + cfg.BatchSize - 1) / cfg.BatchSize
	s.total = s.perEpoch * cfg.Epochs
	ahead := min(cfg.Ahead, s.total)
	workers = min(workers, ahead)
	s.slots = make([]streamSlot, ahead)
	s.free = make(chan struct{}, ahead)
	for i := range s.slots {
		s.slots[i].ready = make(chan struct{}, 1)
		s.slots[i].batch = p.getBatch()
		s.free <- struct{}{}
	}
	s.jobs = make(chan int, ahead)
	ctx, s.cancel = context.WithCancel(ctx)
	s.ctx = ctx
	s.wg.Add(1)
	go s.dispatch(ctx)
	for range workers {
		s.wg.Add(1)
		go s.work(ctx)
	}
	return s, nil
}

// BatchesPerEpoch returns ⌈len(Indices)/BatchSize⌉.
func (s *Stream) BatchesPerEpoch() int { return s.perEpoch }

// Epoch returns the epoch (0-based) of the batch Next returned last.
func (s *Stream) Epoch() int { return s.epoch }

// BatchSeed returns the two PCG seed words of batch k (counted over all
// epochs) of a stream seeded with seed, for callers that want to patch a
// batch by hand exactly as a Stream would: rand.New(rand.NewPCG(BatchSeed(…))).
// Evaluation streams use epoch 0 for every epoch.
func BatchSeed(seed uint64, epoch, k int) (uint64, uint64) {
	return splitmix(seed ^ splitmix(uint64(epoch)+0x632be59bd9b4e019)), splitmix(uint64(k) + 0x9e3779b97f4a7c15)
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// dispatch fills each slot's graph list in stream order and hands it to the
// workers once the slot is free.
func (s *Stream) dispatch(ctx context.Context) {
	defer s.wg.Done()
	defer close(s.jobs)
	order := make([]int, len(s.cfg.Indices))
	for e := range s.cfg.Epochs {
		copy(order, s.cfg.Indices)
		if s.cfg.Shuffle {
			a, b := BatchSeed(s.cfg.Seed, e, -1)
			rand.New(rand.NewPCG(a, b)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		for kb := range s.perEpoch {
			select {
			case <-s.free:
			case <-ctx.Done():
				return
			}
			k := e*s.perEpoch + kb
			sl := &s.slots[k%len(s.slots)]
			lo, hi := kb*s.cfg.BatchSize, min((kb+1)*s.cfg.BatchSize, len(order))
			sl.idx = append(sl.idx[:0], order[lo:hi]...)
			sl.epoch = e
			select {
			case s.jobs <- k:
			case <-ctx.Done():
				return
			}
		}
	}
}

// work patches the batches it is handed.
func (s *Stream) work(ctx context.Context) {
	defer s.wg.Done()
	sc := s.p.getScratch()
	defer s.p.putScratch(sc)
	pcg := rand.NewPCG(0, 0)
	rng := rand.New(pcg)
	for k := range s.jobs {
		sl := &s.slots[k%len(s.slots)]
		e, kb := sl.epoch, k%s.perEpoch
		if !s.cfg.Train {
			e = 0
		}
		pcg.Seed(BatchSeed(s.cfg.Seed, e, kb))
		sl.err = s.p.batch(sc, sl.batch, sl.idx, s.cfg.Train, rng)
		sl.ready <- struct{}{}
		if ctx.Err() != nil {
			return
		}
	}
}

// Next returns the next batch, or io.EOF after the last one. A patching
// error (naming the graph) or the context's cancellation stops the stream
// and is returned from then on.
func (s *Stream) Next() (*PatchBatch, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.closed {
		return nil, errors.New("graphjepa: Stream.Next after Close")
	}
	if s.holding {
		s.holding = false
		s.free <- struct{}{}
	}
	if s.next >= s.total {
		s.err = io.EOF
		s.Close()
		return nil, io.EOF
	}
	sl := &s.slots[s.next%len(s.slots)]
	select {
	case <-sl.ready:
	case <-s.ctx.Done():
		s.err = s.ctx.Err()
		s.Close()
		return nil, s.err
	}
	s.next++
	if sl.err != nil {
		s.err = sl.err
		s.Close()
		return nil, s.err
	}
	s.holding = true
	s.epoch = sl.epoch
	return sl.batch, nil
}

// Close stops the producers and waits for them. It is safe to call more
// than once; Next after Close returns an error.
func (s *Stream) Close() {
	if s.closed {
		return
	}
	s.closed = true
	s.cancel()
	// Workers block only on the jobs channel, which dispatch closes once
	// cancelled, and on their slot's ready channel, which has room.
	s.wg.Wait()
	for i := range s.slots {
		s.p.putBatch(s.slots[i].batch)
		s.slots[i].batch = nil
	}
}

// getBatch returns a recycled PatchBatch (buffers of an earlier stream) or
// a new one.
func (p *Patcher) getBatch() *PatchBatch {
	select {
	case b := <-p.batches:
		return b
	default:
		return new(PatchBatch)
	}
}

func (p *Patcher) putBatch(b *PatchBatch) {
	select {
	case p.batches <- b:
	default:
	}
}
