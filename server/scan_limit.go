package server

import (
	"fmt"
	"strings"
)

// userScanLimit is user's scan limit in bytes: their own entry, else the
// "*" entry, else none (0).
func userScanLimit(limits map[string]int64, user string) int64 {
	if v, ok := limits[user]; ok {
		return v
	}
	return limits["*"]
}

// ParseUserScanLimits reads "alice=1TB,bob=10GB,*=100GB" (user=size,
// comma-separated; * for every other user) with parseSize for the sizes.
func ParseUserScanLimits(s string, parseSize func(string) (int64, error)) (map[string]int64, error) {
	out := map[string]int64{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		user, size, ok := strings.Cut(part, "=")
		user = strings.TrimSpace(user)
		if !ok || user == "" {
			return nil, fmt.Errorf("%q: want user=size, e.g. alice=1TB", part)
		}
		n, err := parseSize(size)
		if err != nil {
			return nil, fmt.Errorf("user %s: %w", user, err)
		}
		if _, dup := out[user]; dup {
			return nil, fmt.Errorf("user %s is listed twice", user)
		}
		out[user] = n
	}
	return out, nil
}
