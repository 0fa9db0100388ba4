// Package bridgeinfo: the pulumi-terraform-bridge ProviderInfo for the engine-tier Datadog plugin.
// The bridge (github.com/pulumi/pulumi-terraform-bridge/v3 v3.135.0, the version pulumi-datadog's
// provider/go.mod names at its newest reachable commit eac1422, 2026-07-24) is REAL; the Terraform
// provider it wraps (../ddtf) is transcribed from DataDog/terraform-provider-datadog@701d55bc4, since
// neither pulumi-datadog's provider module nor the upstream Terraform provider is served by the Go
// module proxy here. Settings follow pulumi-datadog provider/resources.go (Provider()) at eac1422:
// EnableZeroDefaultSchemaVersion and EnableAccurateBridgePreview on, tokens as @pulumi/datadog 5.11.0
// uses them (monitor.js, pagerduty/serviceObject.js).
package bridgeinfo

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"

	"pico.local/engine/datadog/ddtf"
)

// Version is the @pulumi/datadog version this plugin stands in for.
const Version = "5.11.0"

func Provider() tfbridge.ProviderInfo {
	return tfbridge.ProviderInfo{
		P:           shimv2.NewProvider(ddtf.Provider()),
		Name:        "datadog",
		DisplayName: "Datadog",
		Description: "A Pulumi package for creating and managing Datadog resources.",
		Keywords:    []string{"pulumi", "datadog"},
		License:     "Apache-2.0",
		Homepage:    "https://pulumi.io",
		Repository:  "https://github.com/pulumi/pulumi-datadog",
		GitHubOrg:   "DataDog",
		Version:     Version,
		Config:      map[string]*tfbridge.SchemaInfo{},
		Resources: map[string]*tfbridge.ResourceInfo{
			"datadog_monitor": {Tok: "datadog:index/monitor:Monitor"},
			"datadog_integration_pagerduty_service_object": {Tok: "datadog:pagerduty/serviceObject:ServiceObject"},
		},
		EnableZeroDefaultSchemaVersion: true,
		EnableAccurateBridgePreview:    true,
	}
}
