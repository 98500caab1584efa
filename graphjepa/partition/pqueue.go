package partition

// pqueue is an indexed binary max-heap of vertices keyed by their gain, the
// priority queue of FM refinement. Vertices are 0..n-1; pos[v] is v's slot
// in heap or -1.
type pqueue struct {
	heap []int
	key  []float64
	pos  []int
}

// init sizes q for vertices 0..n-1 and empties it.
func (q *pqueue) init(n int) {
	q.heap = grow(q.heap, n)[:0]
	q.key = grow(q.key, n)
	q.pos = grow(q.pos, n)
	for i := range q.pos {
		q.pos[i] = -1
	}
}

// reset empties q in time proportional to its length.
func (q *pqueue) reset() {
	for _, v := range q.heap {
		q.pos[v] = -1
	}
	q.heap = q.heap[:0]
}

func (q *pqueue) insert(v int, key float64) {
	q.key[v] = key
	q.pos[v] = len(q.heap)
	q.heap = append(q.heap, v)
	q.up(len(q.heap) - 1)
}

// pop removes and returns the vertex of largest key, or -1 when empty.
func (q *pqueue) pop() int {
	if len(q.heap) == 0 {
		return -1
	}
	v := q.heap[0]
	q.remove(0)
	return v
}

func (q *pqueue) delete(v int) {
	if i := q.pos[v]; i >= 0 {
		q.remove(i)
	}
}

func (q *pqueue) update(v int, key float64) {
	i := q.pos[v]
	if i < 0 {
		q.insert(v, key)
		return
	}
	old := q.key[v]
	q.key[v] = key
	if key > old {
		q.up(i)
	} else {
		q.down(i)
	}
}

func (q *pqueue) remove(i int) {
	v := q.heap[i]
	last := len(q.heap) - 1
	if i != last {
		q.heap[i] = q.heap[last]
		q.pos[q.heap[i]] = i
	}
	q.heap = q.heap[:last]
	q.pos[v] = -1
	if i < last {
		q.down(i)
		q.up(i)
	}
}

func (q *pqueue) up(i int) {
	h := q.heap
	v := h[i]
	k := q.key[v]
	for i > 0 {
		p := (i - 1) / 2
		if q.key[h[p]] >= k {
			break
		}
		h[i] = h[p]
		q.pos[h[i]] = i
		i = p
	}
	h[i] = v
	q.pos[v] = i
}

func (q *pqueue) down(i int) {
	h := q.heap
	n := len(h)
	v := h[i]
	k := q.key[v]
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && q.key[h[c+1]] > q.key[h[c]] {
			c++
		}
		if q.key[h[c]] <= k {
			break
		}
		h[i] = h[c]
		q.pos[h[i]] = i
		i = c
	}
	h[i] = v
	q.pos[v] = i
}
