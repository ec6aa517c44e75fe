//go:build !linux

package main

import "time"

// waitEditing gives the line editor time to take the terminal (see the
// Linux version, which can check).
func (s *screen) waitEditing() { time.Sleep(100 * time.Millisecond) }
