package emulator_test

import (
	"github.com/flowctl/flowctl/genesys/genesystest"
)

var (
	acmeOrg = genesystest.Acme
	emulate = genesystest.Emulate
)
