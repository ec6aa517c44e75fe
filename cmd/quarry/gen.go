package main

import (
	"fmt"
	"io"
)

func runGen(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "quarry gen: not available in this build yet")
	return 1
}

func runDemo(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "quarry demo: not available in this build yet")
	return 1
}

func runShell(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runSQL(args, stdin, stdout, stderr)
}
