package flow

var ruleDuplicateID = &Rule{
	ID: RuleDuplicateID, Severity: SeverityError,
	Summary: "two blocks with one id in a flow; also duplicate map keys",
	check: func(ps *pass) {
		for _, f := range ps.p.Flows {
			for _, b := range f.Blocks {
				if first := f.Block(b.ID); first != nil && first != b {
					ps.report(b.IDPos, "block id %q is used twice in flow %q; first defined at line %d, column %d", b.ID, f.Name, first.IDPos.Line, first.IDPos.Col)
				}
			}
		}
	},
}
