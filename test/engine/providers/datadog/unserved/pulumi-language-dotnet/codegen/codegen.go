// Package codegen is a placeholder for pulumi-dotnet's C# code generator, which the Go module proxy does
// not serve; see ../../README.md. Only the names pulumi-terraform-bridge v3.135.0's pkg/tfgen refers to.
package codegen

import (
	"errors"

	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
)

// CSharpPackageInfo: the fields pkg/tfgen/generate_schema.go (csharpLanguageExtensions) sets.
type CSharpPackageInfo struct {
	Compatibility                string            `json:"compatibility,omitempty"`
	PackageReferences            map[string]string `json:"packageReferences,omitempty"`
	Namespaces                   map[string]string `json:"namespaces,omitempty"`
	RootNamespace                string            `json:"rootNamespace,omitempty"`
	DictionaryConstructors       bool              `json:"dictionaryConstructors,omitempty"`
	ProjectReferences            []string          `json:"projectReferences,omitempty"`
	LiftSingleValueMethodReturns bool              `json:"liftSingleValueMethodReturns,omitempty"`
	RespectSchemaVersion         bool              `json:"respectSchemaVersion,omitempty"`
}

// CSharpPropertyInfo and CSharpResourceInfo: a C# name override.
type CSharpPropertyInfo struct {
	Name string `json:"name,omitempty"`
}

type CSharpResourceInfo struct {
	Name string `json:"name,omitempty"`
}

// GenerateProgram refuses: converting examples to C# is not available in the engine tier.
func GenerateProgram(_ *pcl.Program) (map[string][]byte, hcl.Diagnostics, error) {
	return nil, nil, errors.New("C# program generation is not available in the engine-tier plugin")
}
