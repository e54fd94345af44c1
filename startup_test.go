package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestStartupInit keeps start-up cheap: Go runs the package initialisation
// of everything linked in every process, `flowctl version` included, so
// the heap all of it allocates is bounded (the jsonschema library alone
// allocated 1.7 MB there, compiling every JSON Schema draft's meta-schema,
// and is linked only into tests), and no one package may allocate much.
func TestStartupInit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds flowctl")
	}
	bin := filepath.Join(t.TempDir(), "flowctl")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("flowctl version: %v\n%s", err, stderr.String())
	}
	const (
		maxTotal   = 384 << 10
		maxPackage = 64 << 10
	)
	total, inits := 0, 0
	for _, line := range strings.Split(stderr.String(), "\n") {
		// init PACKAGE @T ms, C ms clock, B bytes, A allocs
		f := strings.Fields(line)
		if len(f) < 11 || f[0] != "init" || f[8] != "bytes," {
			continue
		}
		b, err := strconv.Atoi(f[7])
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		inits++
		total += b
		if b > maxPackage {
			t.Errorf("package %s allocates %d bytes at initialisation (at most %d): every flowctl process pays for it", f[1], b, maxPackage)
		}
	}
	if inits < 50 {
		t.Fatalf("read %d package initialisations from GODEBUG=inittrace=1; stderr:\n%s", inits, stderr.String())
	}
	if total > maxTotal {
		t.Errorf("package initialisation allocates %d bytes in all (at most %d)", total, maxTotal)
	}
	t.Logf("%d package initialisations, %d bytes", inits, total)
}
