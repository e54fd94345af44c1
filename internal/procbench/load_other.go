//go:build !linux

package main

func loadAverage() string { return "load unknown" }
