//go:build race

package engine_test

// raceDetector is true when the tests run with -race.
const raceDetector = true
