// Package server is the HTTP side of `bot serve`: it mounts the endpoints
// that chat platform adapters contribute (Platform), adds liveness
// (GET /healthz), readiness (GET /readyz) and Prometheus metrics
// (GET /metrics), wraps every route in request logging, panic recovery, a
// request body limit and metrics, and stops gracefully: when the context
// given to Run is done it stops accepting connections and lets in-flight
// requests finish.
//
// The package knows nothing of cases or of any one platform; cmd/bot wires
// the adapters in.
package server
