package server

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics holds the bot's Prometheus collectors on a registry of its own
// (never the global default one, so that tests and several servers in one
// process do not collide). Other packages count through the exported
// fields or the methods; keep label values to small fixed sets, never
// user input.
type Metrics struct {
	// Registry is what GET /metrics exposes.
	Registry *prometheus.Registry

	// ReportsFiled counts filed reports by platform and top category
	// ("" when none): reports_filed_total{platform,category}.
	ReportsFiled *prometheus.CounterVec
	// CaseActions counts button presses and their result ("ok" or a fault
	// reason): case_actions_total{action,result}.
	CaseActions *prometheus.CounterVec
	// OutboxSent counts delivered messages: outbox_sent_total{platform,kind}.
	OutboxSent *prometheus.CounterVec
	// OutboxFailed counts failed delivery attempts:
	// outbox_failed_total{platform,reason}.
	OutboxFailed *prometheus.CounterVec
	// OutboxDead counts messages given up on: outbox_dead_total.
	OutboxDead prometheus.Counter
	// DisposedCases and PurgedMessages count the retention worker's work:
	// cases_disposed_total, outbox_purged_total.
	DisposedCases, PurgedMessages prometheus.Counter

	requests *prometheus.CounterVec   // http_requests_total{route,method,code}
	duration *prometheus.HistogramVec // http_request_duration_seconds{route}
}

// NewMetrics makes the collectors on a fresh registry, with the Go runtime
// and process collectors.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		ReportsFiled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "reports_filed_total", Help: "Reports filed, by platform and top category.",
		}, []string{"platform", "category"}),
		CaseActions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "case_actions_total", Help: "Actions on cases, by action and result.",
		}, []string{"action", "result"}),
		OutboxSent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "outbox_sent_total", Help: "Outbox messages delivered, by platform and message kind.",
		}, []string{"platform", "kind"}),
		OutboxFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "outbox_failed_total", Help: "Failed outbox delivery attempts, by platform and reason.",
		}, []string{"platform", "reason"}),
		OutboxDead: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "outbox_dead_total", Help: "Outbox messages given up on.",
		}),
		DisposedCases: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cases_disposed_total", Help: "Closed cases disposed of under the records schedule.",
		}),
		PurgedMessages: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "outbox_purged_total", Help: "Sent outbox messages deleted after 30 days.",
		}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total", Help: "HTTP requests, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "http_request_duration_seconds", Help: "HTTP request latency, by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.ReportsFiled, m.CaseActions, m.OutboxSent, m.OutboxFailed, m.OutboxDead,
		m.DisposedCases, m.PurgedMessages,
		m.requests, m.duration,
	)
	return m
}

// MessageSent counts a delivered outbox message (delivery.Metrics).
func (m *Metrics) MessageSent(platform, kind string) {
	m.OutboxSent.WithLabelValues(platform, kind).Inc()
}

// MessageFailed counts a failed delivery attempt (delivery.Metrics).
func (m *Metrics) MessageFailed(platform, reason string) {
	m.OutboxFailed.WithLabelValues(platform, reason).Inc()
}

// MessageDead counts a message given up on (delivery.Metrics).
func (m *Metrics) MessageDead() { m.OutboxDead.Inc() }

// CasesDisposed counts disposed cases (retention.Metrics).
func (m *Metrics) CasesDisposed(n int) { m.DisposedCases.Add(float64(n)) }

// OutboxPurged counts deleted sent messages (retention.Metrics).
func (m *Metrics) OutboxPurged(n int) { m.PurgedMessages.Add(float64(n)) }
