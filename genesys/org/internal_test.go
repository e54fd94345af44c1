package org

// Internals for the tests of package org_test.
var BuildOrg = buildOrg
