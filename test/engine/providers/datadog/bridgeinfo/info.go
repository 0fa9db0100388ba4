// Package bridgeinfo: the pulumi-terraform-bridge ProviderInfo for the engine-tier Datadog plugin.
// The bridge (github.com/pulumi/pulumi-terraform-bridge/v3 v3.135.0, the version pulumi-datadog's
// provider/go.mod names at its newest reachable commit eac1422, 2026-07-24) is REAL; the Terraform
// provider it wraps (../ddtf) is transcribed from DataDog/terraform-provider-datadog@701d55bc4, since
// neither pulumi-datadog's provider module nor the upstream Terraform provider is served by the Go
// module proxy here. Settings follow pulumi-datadog provider/resources.go (Provider()) at eac1422:
// EnableZeroDefaultSchemaVersion and EnableAccurateBridgePreview on, tokens as @pulumi/datadog 5.11.0
// uses them (monitor.js, pagerduty/serviceObject.js, downtimeSchedule.js). As pulumi-datadog does, P muxes
// the SDKv2 provider (../ddtf) with the terraform-plugin-framework one (../ddfw) through the bridge's own
// pfbridge.MuxShimWithPF, and main.go serves it with pfbridge.MainWithMuxer.
package bridgeinfo

import (
	"context"

	pfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"

	"pico.local/engine/datadog/ddfw"
	"pico.local/engine/datadog/ddtf"
)

// Version is the @pulumi/datadog version this plugin stands in for.
const Version = "5.11.0"

func Provider() tfbridge.ProviderInfo {
	return tfbridge.ProviderInfo{
		P:           pfbridge.MuxShimWithPF(context.Background(), shimv2.NewProvider(ddtf.Provider()), ddfw.New()),
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
		// pulumi-datadog embeds bridge-metadata.json, which tfgen writes (its "mux" key is the dispatch
		// table MainWithMuxer reads); main.go computes that table at start-up instead, see there.
		MetadataInfo: tfbridge.NewProviderMetadata(nil),
		Resources: map[string]*tfbridge.ResourceInfo{
			"datadog_monitor": {Tok: "datadog:index/monitor:Monitor"},
			"datadog_integration_pagerduty_service_object": {Tok: "datadog:pagerduty/serviceObject:ServiceObject"},
			// A framework resource: served by ../ddfw through the mux.
			"datadog_downtime_schedule": {Tok: "datadog:index/downtimeSchedule:DowntimeSchedule"},
		},
		EnableZeroDefaultSchemaVersion: true,
		EnableAccurateBridgePreview:    true,
	}
}
