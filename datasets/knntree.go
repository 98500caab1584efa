package datasets

// knnTree finds the k = len(h) nearest points of the cloud indexed by s
// (s.build must have been called on it) to (cx, cy, cz), leaving their
// packed (distance, original index) keys in h as a max-heap (knnEmit
// sorts and unpacks it). The result equals knnOne's: the k smallest keys,
// with distances computed as sqDist32(c − q) like KNN.
//
// Subtrees are visited nearer box first and skipped when the float32
// lower bound of their box exceeds the current k-th distance; a box whose
// bound equals it is still visited, because a point at that distance with
// a lower index would rank before the current k-th.
func (s *FPSScratch) knnTree(h []uint64, cx, cy, cz float32) {
	for i := range h {
		h[i] = ^uint64(0) // sentinel: larger than every key; its distance bits are a NaN
	}
	s.knnVisit(0, h, cx, cy, cz)
}

// knnBound returns the float32 squared-distance lower bound from
// (cx, cy, cz) to the box of node i.
func (s *FPSScratch) knnBound(i int, cx, cy, cz float32) float32 {
	bx := s.box[6*i : 6*i+6 : 6*i+6]
	return sqDist32(boxGap(cx, bx[0], bx[3]), boxGap(cy, bx[1], bx[4]), boxGap(cz, bx[2], bx[5]))
}

func (s *FPSScratch) knnVisit(i int, h []uint64, cx, cy, cz float32) {
	lo, hi := int(s.lo[i]), int(s.hi[i])
	if hi-lo <= fpsLeafSize {
		px, py, pz, orig := s.px[lo:hi:hi], s.py[lo:hi:hi], s.pz[lo:hi:hi], s.orig[lo:hi:hi]
		for j := range px {
			if key := knnKey(sqDist32(cx-px[j], cy-py[j], cz-pz[j]), int(orig[j])); key < h[0] {
				h[0] = key
				knnSiftDown(h, 0)
			}
		}
		return
	}
	l, r := 2*i+1, 2*i+2
	bl, br := s.knnBound(l, cx, cy, cz), s.knnBound(r, cx, cy, cz)
	if br < bl {
		l, r, bl, br = r, l, br, bl
	}
	// While sentinels remain, the k-th distance is a NaN and no
	// comparison skips.
	if !(bl > knnTop(h)) {
		s.knnVisit(l, h, cx, cy, cz)
	}
	if !(br > knnTop(h)) {
		s.knnVisit(r, h, cx, cy, cz)
	}
}
