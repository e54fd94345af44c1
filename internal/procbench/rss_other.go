//go:build !linux

package main

import "os"

// maxRSSKB is 0 where the peak resident set is not measured (Linux only).
func maxRSSKB(*os.ProcessState) int64 { return 0 }
