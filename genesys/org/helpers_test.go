package org_test

import "github.com/flowctl/flowctl/genesys/genesystest"

const sentinelSecret = genesystest.Secret

var (
	acmeOrg   = genesystest.Acme
	emulate   = genesystest.Emulate
	acmeNames = genesystest.AcmeNames
	acmeWant  = genesystest.AcmeVerdicts
)
