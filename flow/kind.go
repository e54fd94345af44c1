package flow

import (
	"github.com/flowctl/flowctl/schemas"
	"gopkg.in/yaml.v3"
)

// otherKind describes file when it is not a flow file but another kind of
// flowctl file (a test, org or config file: schemas.WrongKind), or returns
// "".
func otherKind(file string, root *yaml.Node) string {
	return schemas.WrongKind(file, root, schemas.KindFlow)
}
