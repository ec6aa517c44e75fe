package server

import (
	"strings"
	"testing"
)

func TestUserScanLimits(t *testing.T) {
	limits, err := ParseUserScanLimits("alice=1KB, *=1MB", func(s string) (int64, error) {
		return map[string]int64{"1KB": 1 << 10, "1MB": 1 << 20}[s], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, func(c *Config) { c.UserScanLimits = limits })
	const q = "SELECT count(*) FROM sales.people"
	_, doc, _ := ts.run(t, q, map[string]string{"X-Trino-User": "alice"})
	e, _ := doc["error"].(map[string]any)
	if e == nil || e["errorName"] != "EXCEEDED_SCAN_LIMIT" || e["errorType"] != "INSUFFICIENT_RESOURCES" ||
		!strings.HasPrefix(e["message"].(string), "Query would scan ") || !strings.HasSuffix(e["message"].(string), "over the scan limit of 1.0KB") {
		t.Fatalf("alice: %v", doc["error"])
	}
	rows, doc, _ := ts.run(t, q, map[string]string{"X-Trino-User": "bob"})
	if doc["error"] != nil || len(rows) != 1 {
		t.Fatalf("bob (limit 1MB): %v %v", rows, doc["error"])
	}
	for _, bad := range []string{"alice", "alice=1KB,alice=1KB", "=1KB"} {
		if _, err := ParseUserScanLimits(bad, func(string) (int64, error) { return 1, nil }); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
