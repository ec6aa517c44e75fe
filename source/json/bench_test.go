package json

import (
	"bytes"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time: on a shared machine it
// measures the reader's cost better than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds MB per CPU-second to a benchmark.
func reportCPU(b *testing.B, bytes int64, start time.Duration) {
	if d := cpuTime() - start; d > 0 {
		b.ReportMetric(float64(bytes)*float64(b.N)/1e6/d.Seconds(), "MB/cpu-s")
	}
}

// benchLines is a JSON-lines file of flat event records with a nested
// object and an array, the shape of application logs and CloudTrail-like
// exports.
func benchLines(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"id": %d, "ts": "2024-03-%02d 12:34:56.789", "user": "user_%d", "amount": %d.%02d, "ok": %t, "tags": ["alpha", "beta"], "geo": {"country": "DE", "city": "Berlin", "lat": 52.52}, "msg": "request handled in %d ms"}`+"\n",
			i, i%28+1, i%1000, i%10000, i%100, i%3 == 0, i%500)
	}
	return b.Bytes()
}

func BenchmarkLines(b *testing.B) {
	data := benchLines(300_000)
	st := newTestStore()
	st.blobs["/t/bench.json"] = data
	tbl := tableOf(nil, "id bigint", "ts timestamp", "user string", "amount decimal(12,2)", "ok boolean",
		"tags array<string>", "geo struct<country:string,city:string,lat:double>", "msg string")
	for _, bc := range []struct {
		name string
		cols []int
	}{
		{"all", allColumns(tbl)},
		{"two", []int{0, 3}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			start := cpuTime()
			for b.Loop() {
				if _, err := readCols(b, st, tbl, "/t/bench.json", bc.cols); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, int64(len(data)), start)
		})
	}
}

// BenchmarkDocument streams a generated openFDA-shaped document.
func BenchmarkDocument(b *testing.B) {
	const size = 64 << 20
	st := newTestStore()
	st.gens["/t/doc.json"] = func() io.Reader { return newDocGen(size) }
	var buf bytes.Buffer
	io.Copy(&buf, newDocGen(size))
	st.blobs["/t/doc2.json"] = buf.Bytes()
	tbl := tableOf(map[string]string{"json.root": "results"}, fdaColumns...)
	b.SetBytes(int64(buf.Len()))
	start := cpuTime()
	for b.Loop() {
		if _, err := readCols(b, st, tbl, "/t/doc2.json", nil); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, int64(buf.Len()), start)
}
