//go:build linux

package main

import (
	"syscall"
	"time"
	"unsafe"
)

// waitEditing waits until the line editor reads keys itself (the
// terminal no longer turns Ctrl-C into SIGINT). The editor prints its
// prompt before it switches the terminal, so a key sent the moment the
// prompt appears may still meet the terminal's own line discipline: a
// Ctrl-C then becomes a signal, which at the prompt cancels nothing, and
// the key is lost. On Linux the master side reads the terminal's modes.
func (s *screen) waitEditing() {
	s.t.Helper()
	deadline := time.Now().Add(patient)
	for {
		var tio syscall.Termios
		_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, s.pty.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&tio)))
		if errno != 0 {
			s.t.Fatalf("read the terminal's modes: %v", errno)
		}
		if tio.Lflag&syscall.ISIG == 0 {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the line editor did not take the terminal within %v", patient)
		}
		time.Sleep(time.Millisecond)
	}
}
