//go:build unix

package cache

import (
	"errors"
	"syscall"
)

// freeBytes returns the bytes available to an unprivileged user on the
// file system holding path, or -1 when unknown.
func freeBytes(path string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize)
}

// processAlive reports whether a process with this id exists (possibly in
// another user's name). A process in another pid namespace sharing the
// directory may be reported dead: its temporary file is then removed and
// its fill fails, which costs a fill, never an answer.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
