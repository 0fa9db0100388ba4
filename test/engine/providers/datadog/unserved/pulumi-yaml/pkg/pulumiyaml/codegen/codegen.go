// Package codegen is a placeholder for pulumi-yaml's program generator, which the Go module proxy does
// not serve at the version the bridge pins; see ../../../../README.md.
package codegen

import (
	"errors"

	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
)

// GenerateProgram refuses: converting examples to YAML is not available in the engine tier.
func GenerateProgram(_ *pcl.Program) (map[string][]byte, hcl.Diagnostics, error) {
	return nil, nil, errors.New("YAML program generation is not available in the engine-tier plugin")
}
