package report

import (
	"encoding/json"
	"io"

	"github.com/flowctl/flowctl/flow"
	"github.com/flowctl/flowctl/genesys"
)

// CheckQueueFormats are check-queue's --format values; text is the default.
var CheckQueueFormats = []string{"text", "json"}

// statusNames are the JSON names of the queue statuses.
var statusNames = map[flow.QueueStatus]string{
	flow.QueueReachable:            "reachable",
	flow.QueueNameMismatch:         "name-mismatch",
	flow.QueueDivisionNotPermitted: "division-not-permitted",
	flow.QueueNotFound:             "not-found",
}

type checkQueueJSON struct {
	Source              string              `json:"source"`
	Organization        genesys.EntityRef   `json:"organization"`
	Client              genesys.EntityRef   `json:"client"`
	GrantsKnown         bool                `json:"grantsKnown"`
	GrantedDivisions    []string            `json:"grantedDivisions"`
	MissingPermissions  []string            `json:"missingPermissions"`
	CrossDivisionSearch bool                `json:"crossDivisionSearch"`
	Notes               []string            `json:"notes"`
	Queues              []checkQueueVerdict `json:"queues"`
	Reachable           bool                `json:"reachable"`
}

type checkQueueVerdict struct {
	Name      string   `json:"name"`
	Status    string   `json:"status"`
	Reachable bool     `json:"reachable"`
	ID        string   `json:"id,omitempty"`
	Division  string   `json:"division,omitempty"`
	Similar   []string `json:"similar"`
	// Hidden maps the similar names that lie in divisions the client
	// cannot see to their division.
	Hidden map[string]string `json:"hiddenDivisions,omitempty"`
}

// WriteCheckQueueJSON writes check-queue's report as one JSON object.
func WriteCheckQueueJSON(w io.Writer, r *genesys.Report, names []string) error {
	out := checkQueueJSON{
		Source: r.Source, Organization: r.Organization, Client: r.Client,
		GrantsKnown: r.GrantsKnown, GrantedDivisions: nonNil(r.Granted), MissingPermissions: nonNil(r.Missing),
		CrossDivisionSearch: r.CrossDivision, Notes: nonNil(Notes(r)), Reachable: r.Reachable(),
	}
	for _, n := range names {
		v := r.Verdicts[n]
		out.Queues = append(out.Queues, checkQueueVerdict{
			Name: n, Status: statusNames[v.Status], Reachable: v.Status == flow.QueueReachable && len(r.Missing) == 0,
			ID: v.QueueID, Division: v.Division, Similar: nonNil(v.Similar), Hidden: v.Hidden,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
