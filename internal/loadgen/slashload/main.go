// Command slashload measures how fast bot serve answers slash commands: it
// sends signed Slack commands (or token-checked Mattermost commands) at a
// fixed rate to a bot on this machine and prints latency percentiles. It
// refuses any address that is not loopback, and stops after -n requests or
// -max, whichever comes first.
//
//	go run ./internal/loadgen/slashload -platform slack -url http://127.0.0.1:8080/slack/commands \
//	    -secret "$SLACK_SIGNING_SECRET" -users U0ANA,U0DAVID -rate 100 -n 3000
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	platform := flag.String("platform", "slack", "slack or mattermost")
	target := flag.String("url", "http://127.0.0.1:8080/slack/commands", "the command endpoint (loopback only)")
	secret := flag.String("secret", "", "Slack signing secret, or a Mattermost command token")
	users := flag.String("users", "U0ANA", "comma-separated user IDs to send as")
	rate := flag.Int("rate", 100, "requests per second")
	n := flag.Int("n", 3000, "requests to send")
	maxTime := flag.Duration("max", 2*time.Minute, "stop after this long whatever happens")
	flag.Parse()
	if err := run(*platform, *target, *secret, strings.Split(*users, ","), *rate, *n, *maxTime); err != nil {
		fmt.Fprintln(os.Stderr, "slashload:", err)
		os.Exit(1)
	}
}

func run(platform, target, secret string, users []string, rate, n int, maxTime time.Duration) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	if !loopback(u.Hostname()) {
		return fmt.Errorf("%s is not a loopback address; this tool only loads a bot on this machine", u.Hostname())
	}
	if secret == "" || rate <= 0 || n <= 0 {
		return errors.New("-secret, a positive -rate and -n are required")
	}
	client := &http.Client{Timeout: 10 * time.Second}
	latencies := make([]time.Duration, 0, n)
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		errs   int
		status = map[int]int{}
	)
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	deadline := time.After(maxTime)
	start := time.Now()
send:
	for i := range n {
		select {
		case <-deadline:
			break send
		case <-tick.C:
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := request(platform, target, secret, users[i%len(users)], i)
			t0 := time.Now()
			resp, err := client.Do(req)
			d := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs++
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			status[resp.StatusCode]++
			latencies = append(latencies, d)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	fmt.Printf("sent %d in %s (%.0f/s); statuses %v; transport errors %d\n", len(latencies)+errs, elapsed.Round(time.Millisecond),
		float64(len(latencies)+errs)/elapsed.Seconds(), status, errs)
	for _, p := range []float64{50, 90, 99, 99.9} {
		fmt.Printf("p%v %s\n", p, percentile(latencies, p))
	}
	return nil
}

// request builds one command as the platform would send it.
func request(platform, target, secret, user string, i int) *http.Request {
	form := url.Values{
		"command": {"/report"}, "user_id": {user}, "team_id": {"T0LOAD"}, "channel_id": {"C0LOAD"},
		"text":         {fmt.Sprintf("https://www.facebook.com/p/%d she posted a picture of a detainee in the intake area", i)},
		"response_url": {"http://127.0.0.1:9/unused"}, "trigger_id": {strconv.Itoa(i)},
	}
	if platform == "mattermost" {
		form.Set("token", secret)
	}
	body := form.Encode()
	req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if platform == "slack" {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		mac := hmac.New(sha256.New, []byte(secret))
		fmt.Fprintf(mac, "v0:%s:%s", ts, body)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	} else {
		req.Header.Set("Authorization", "Token "+secret)
	}
	return req
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
