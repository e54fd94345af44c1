package schemas

import (
	"encoding/json"
	"sort"
	"sync"
)

// FlowShape names the flow schema without its per-block-type field lists
// (the if/then conditions in $defs.block.allOf). Validating 10,000 blocks
// against six conditions each is slow, so the flow loader validates against
// FlowShape and checks the field lists itself with FlowBlockFields: both
// come from the one embedded flow schema.
const FlowShape = "flow-shape"

// FlowBlockFields returns, for each block type, the fields the flow schema
// allows on it, sorted.
func FlowBlockFields() map[string][]string {
	flowFields.once.Do(loadFlowFields)
	return flowFields.byType
}

var flowFields struct {
	once   sync.Once
	byType map[string][]string
	shape  []byte
}

type flowSchemaDoc struct {
	Defs struct {
		Block struct {
			AllOf []struct {
				If struct {
					Properties struct {
						Type struct {
							Const string `json:"const"`
						} `json:"type"`
					} `json:"properties"`
				} `json:"if"`
				Then struct {
					Properties map[string]any `json:"properties"`
				} `json:"then"`
			} `json:"allOf"`
		} `json:"block"`
	} `json:"$defs"`
}

func loadFlowFields() {
	src, err := Source("flow")
	if err != nil {
		panic(err) // the schema is embedded: a missing one is a build error
	}
	var doc flowSchemaDoc
	if err := json.Unmarshal(src, &doc); err != nil {
		panic(err)
	}
	flowFields.byType = map[string][]string{}
	for _, c := range doc.Defs.Block.AllOf {
		var fields []string
		for f := range c.Then.Properties {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		flowFields.byType[c.If.Properties.Type.Const] = fields
	}
	var raw map[string]any
	if err := json.Unmarshal(src, &raw); err != nil {
		panic(err)
	}
	block := raw["$defs"].(map[string]any)["block"].(map[string]any)
	delete(block, "allOf")
	raw["$id"] = URL(FlowShape)
	flowFields.shape, _ = json.Marshal(raw)
}
