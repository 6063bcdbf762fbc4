package solver

// parallelMin is the number of multiply-adds below which a per-pivot loop
// runs on the calling goroutine: under it, starting a second goroutine costs
// more than it saves.
const parallelMin = 40000

// split runs f over [0, n) in two halves on two goroutines when the loop's
// work (multiply-adds) is at least parallelMin, else in one call. The halves
// must write disjoint data; each element is computed by the same operations
// either way, so the result does not depend on the split or the scheduling.
func split(n, work int, f func(lo, hi int)) {
	if work < parallelMin || n < 2 {
		f(0, n)
		return
	}
	mid := n / 2
	done := make(chan struct{})
	go func() {
		f(mid, n)
		close(done)
	}()
	f(0, mid)
	<-done
}
