package solver

// axpy sets y[i] -= f*x[i] for every i in x (len(y) >= len(x)). The loop is
// unrolled by four: the dense kernel of the basis-inverse update and of the
// factorisation.
func axpy(f float64, x, y []float64) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		xs, ys := x[i:i+4:i+4], y[i:i+4:i+4]
		ys[0] -= f * xs[0]
		ys[1] -= f * xs[1]
		ys[2] -= f * xs[2]
		ys[3] -= f * xs[3]
	}
	for ; i < len(x); i++ {
		y[i] -= f * x[i]
	}
}

// scale sets x[i] *= f for every i.
func scale(f float64, x []float64) {
	for i := range x {
		x[i] *= f
	}
}
