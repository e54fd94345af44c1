package cmd

import (
	"strings"

	"github.com/flowctl/flowctl/schemas"
	"github.com/spf13/cobra"
)

func newSchemaCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "schema " + strings.Join(schemas.Names(), "|"),
		Short: "Print the JSON Schema of a flowctl file format",
		Long: `Print the JSON Schema of a flow, test or org file, for editors:
  flowctl schema flow > flow.schema.json
and in the YAML file:
  # yaml-language-server: $schema=./flow.schema.json`,
		Example:   "  flowctl schema flow",
		ValidArgs: schemas.Names(),
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("schema takes one argument: %s", strings.Join(schemas.Names(), ", "))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			src, err := schemas.Source(args[0])
			if err != nil {
				return usageErrorf("%v", err)
			}
			_, err = f.IO.Out.Write(src)
			return err
		},
	}
}
