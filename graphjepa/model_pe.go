package graphjepa

// The reference pools the node RWSE of a patch's members differently in its
// two model methods [quirk, spec graph-jepa.md §4]: forward() — training
// steps and the held-out JEPA-loss pass — takes the max, encode() — the
// embeddings of both folds — the mean. The Patcher pools by transform
// (training or evaluation), which agrees with the model except for the
// held-out loss (evaluation transform, max) and the training-fold embedding
// (training transform, mean); for those the model pools again from the node
// RWSE.

// forwardPoolsMax reports whether forward() max-pools the PE under p.
func forwardPoolsMax(p PEPooling) bool { return p != PEPoolMean }

// encodePoolsMax reports whether encode() max-pools the PE under p.
func encodePoolsMax(p PEPooling) bool { return p == PEPoolMax }

// batchPoolsMax reports whether the Patcher max-pooled the PE of a batch
// patched with the given transform.
func batchPoolsMax(p PEPooling, train bool) bool {
	switch p {
	case PEPoolMean:
		return false
	case PEPoolMax:
		return true
	}
	return train
}

// peFor returns the patch PE [B·P, K] of b pooled as wantMax asks: b.PE
// when the batch already is, otherwise pooled again into scratch from the
// node RWSE (rwse(i) returns the [N_i, K] rows of the batch's graph i).
// scratch is grown as needed and kept for the next call.
func peFor(b *PatchBatch, haveMax, wantMax bool, rwse func(i int) []float32, scratch *[]float32) []float32 {
	if haveMax == wantMax {
		return b.PE
	}
	K := b.K
	out := resize(*scratch, b.B*b.P*K)
	*scratch = out
	clear(out)
	for i := 0; i < b.B; i++ {
		rw := rwse(i)
		base := b.NodePtr[i]
		for s := 0; s < b.P; s++ {
			q := i*b.P + s
			lo, hi := b.SlotPtr[q], b.SlotPtr[q+1]
			if lo == hi {
				continue
			}
			dst := out[q*K : (q+1)*K]
			for c := lo; c < hi; c++ {
				row := rw[(b.CopyNode[c]-base)*K : (b.CopyNode[c]-base+1)*K]
				if c == lo {
					copy(dst, row)
					continue
				}
				for k, v := range row {
					if wantMax {
						dst[k] = max(dst[k], v)
					} else {
						dst[k] += v
					}
				}
			}
			if !wantMax {
				n := float32(hi - lo)
				for k := range dst {
					dst[k] /= n // torch_scatter's mean: sum, then divide by the count
				}
			}
		}
	}
	return out
}
