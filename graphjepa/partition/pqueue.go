package partition

// pqueue is an indexed binary max-heap of vertices keyed by their gain, the
// priority queue of FM refinement. Vertices are 0..n-1; pos[v] is v's slot
// in heap or -1. Keys live in the heap entries so sifting touches one array.
// Outside a use the queue is empty and every pos is -1, so sizing it for a
// graph costs nothing once it is large enough.
type pqueue struct {
	heap []pqEntry
	pos  []int32
}

type pqEntry struct {
	key float64
	v   int32
}

// init makes q ready for vertices 0..n-1; q must be empty.
func (q *pqueue) init(n int) {
	if len(q.pos) < n {
		old := len(q.pos)
		q.pos = append(q.pos, make([]int32, n-old)...)
		for i := old; i < len(q.pos); i++ {
			q.pos[i] = -1
		}
		q.heap = make([]pqEntry, 0, len(q.pos))
	}
	q.heap = q.heap[:0]
}

// reset empties q in time proportional to its length.
func (q *pqueue) reset() {
	for _, e := range q.heap {
		q.pos[e.v] = -1
	}
	q.heap = q.heap[:0]
}

func (q *pqueue) insert(v int, key float64) {
	q.heap = append(q.heap, pqEntry{key, int32(v)})
	q.up(len(q.heap)-1, key, int32(v))
}

// pop removes and returns the vertex of largest key, or -1 when empty.
func (q *pqueue) pop() int {
	if len(q.heap) == 0 {
		return -1
	}
	v := q.heap[0].v
	q.pos[v] = -1
	last := len(q.heap) - 1
	e := q.heap[last]
	q.heap = q.heap[:last]
	if last > 0 {
		q.down(0, e.key, e.v)
	}
	return int(v)
}

func (q *pqueue) delete(v int) {
	i := int(q.pos[v])
	if i < 0 {
		return
	}
	q.pos[v] = -1
	last := len(q.heap) - 1
	e := q.heap[last]
	q.heap = q.heap[:last]
	if i == last {
		return
	}
	if i > 0 && q.heap[(i-1)/2].key < e.key {
		q.up(i, e.key, e.v)
	} else {
		q.down(i, e.key, e.v)
	}
}

func (q *pqueue) update(v int, key float64) {
	i := int(q.pos[v])
	if i < 0 {
		q.insert(v, key)
		return
	}
	if key > q.heap[i].key {
		q.up(i, key, int32(v))
	} else {
		q.down(i, key, int32(v))
	}
}

// up places entry (key, v) at slot i or above.
func (q *pqueue) up(i int, key float64, v int32) {
	h := q.heap
	for i > 0 {
		p := (i - 1) / 2
		if h[p].key >= key {
			break
		}
		h[i] = h[p]
		q.pos[h[i].v] = int32(i)
		i = p
	}
	h[i] = pqEntry{key, v}
	q.pos[v] = int32(i)
}

// down places entry (key, v) at slot i or below.
func (q *pqueue) down(i int, key float64, v int32) {
	h := q.heap
	n := len(h)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1].key > h[c].key {
			c++
		}
		if h[c].key <= key {
			break
		}
		h[i] = h[c]
		q.pos[h[i].v] = int32(i)
		i = c
	}
	h[i] = pqEntry{key, v}
	q.pos[v] = int32(i)
}
