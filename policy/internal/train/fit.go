package main

import "math"

// fit trains a softmax regression on binary features with L2 penalty
// lambda, by full-batch Adam: deterministic, and quick at this corpus size.
func fit(rows [][]int, labels []int, dims, classes int, lambda float64) ([][]float64, []float64) {
	const (
		epochs = 300
		rate   = 0.05
		beta1  = 0.9
		beta2  = 0.999
		eps    = 1e-8
	)
	w := make([][]float64, classes)
	gw := make([][]float64, classes)
	mw := make([][]float64, classes)
	vw := make([][]float64, classes)
	for k := range classes {
		w[k], gw[k], mw[k], vw[k] = make([]float64, dims), make([]float64, dims), make([]float64, dims), make([]float64, dims)
	}
	b, gb, mb, vb := make([]float64, classes), make([]float64, classes), make([]float64, classes), make([]float64, classes)
	n := float64(len(rows))
	for epoch := 1; epoch <= epochs; epoch++ {
		for k := range classes {
			for i := range gw[k] {
				gw[k][i] = lambda * w[k][i] / n
			}
			gb[k] = 0
		}
		for r, row := range rows {
			p := predict(w, b, row)
			for k := range classes {
				g := p[k]
				if k == labels[r] {
					g--
				}
				g /= n
				gb[k] += g
				for _, i := range row {
					gw[k][i] += g
				}
			}
		}
		c1, c2 := 1-math.Pow(beta1, float64(epoch)), 1-math.Pow(beta2, float64(epoch))
		step := func(x *float64, g float64, m, v *float64) {
			*m = beta1**m + (1-beta1)*g
			*v = beta2**v + (1-beta2)*g*g
			*x -= rate * (*m / c1) / (math.Sqrt(*v/c2) + eps)
		}
		for k := range classes {
			for i := range w[k] {
				step(&w[k][i], gw[k][i], &mw[k][i], &vw[k][i])
			}
			step(&b[k], gb[k], &mb[k], &vb[k])
		}
	}
	return w, b
}

// predict returns the class probabilities for one row of features.
func predict(w [][]float64, b []float64, row []int) []float64 {
	p := make([]float64, len(b))
	top := math.Inf(-1)
	for k := range b {
		z := b[k]
		for _, i := range row {
			z += w[k][i]
		}
		p[k] = z
		top = max(top, z)
	}
	sum := 0.0
	for k := range p {
		p[k] = math.Exp(p[k] - top)
		sum += p[k]
	}
	for k := range p {
		p[k] /= sum
	}
	return p
}

func logOf(p float64) float64 { return math.Log(max(p, 1e-12)) }

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }
