// Package ddtf is a Terraform SDKv2 provider whose schemas are TRANSCRIBED from
// DataDog/terraform-provider-datadog at commit 701d55bc44f349de6074a6f770c26fcbfb4ce8b1
// (2026-08-21, the newest main-line commit reachable here; @pulumi/datadog 5.11.0 was built from it or
// a later commit, see ../README.md). The plugin SDK (pulumi's terraform-plugin-sdk/v2 fork) and the
// Datadog API client (datadog-api-client-go/v2 v2.64.0, the version upstream's go.mod names) are REAL
// modules; the provider code is our own, written because the real provider modules are not served by
// the Go module proxy here. It exists so the real pulumi-terraform-bridge can be run against it in the
// engine tier (issue 19).
//
// This file: the schema of datadog_monitor, field by field from datadog/resource_datadog_monitor.go
// (resourceDatadogMonitor, eventQueryVariableSchema, aggregateAugmentedQueryVariableSchema,
// aggregateFilteredQueryVariableSchema, getMonitorFormulaQuerySchema). Descriptions are left out
// (they only feed docs); types, Required/Optional/Computed, Default, MaxItems/MinItems, ForceNew,
// ConflictsWith, Deprecated, StateFunc, DiffSuppressFunc and validators are kept.
package ddtf

import (
	"strings"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// Upstream: const defaultNoDataTimeframeMinutes = 10.
const defaultNoDataTimeframeMinutes = 10

func str(required bool) *schema.Schema {
	return &schema.Schema{Type: schema.TypeString, Required: required, Optional: !required}
}

func integer() *schema.Schema { return &schema.Schema{Type: schema.TypeInt, Optional: true} }

func boolean() *schema.Schema { return &schema.Schema{Type: schema.TypeBool, Optional: true} }

func enum(required bool, newFromValue interface{}) *schema.Schema {
	s := str(required)
	s.ValidateDiagFunc = validateEnumValue(newFromValue)
	return s
}

func block(required bool, maxItems, minItems int, fields map[string]*schema.Schema) *schema.Schema {
	return &schema.Schema{
		Type: schema.TypeList, Required: required, Optional: !required,
		MaxItems: maxItems, MinItems: minItems,
		Elem: &schema.Resource{Schema: fields},
	}
}

func stringList() *schema.Schema {
	return &schema.Schema{Type: schema.TypeList, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}}
}

func trimmed(s *schema.Schema) *schema.Schema {
	s.StateFunc = func(val interface{}) string { return strings.TrimSpace(val.(string)) }
	return s
}

func floatString() *schema.Schema {
	s := str(false)
	s.ValidateFunc = validateFloatString
	return s
}

// Upstream: the ok/unknown thresholds only matter for service checks, so their diff is suppressed otherwise.
func serviceCheckOnly(s *schema.Schema) *schema.Schema {
	s.DiffSuppressFunc = func(_, _, _ string, d *schema.ResourceData) bool {
		return d.Get("type").(string) != string(datadogV1.MONITORTYPE_SERVICE_CHECK)
	}
	return s
}

func monitorSchema() map[string]*schema.Schema {
	typ := str(true)
	typ.ForceNew = true
	typ.ValidateDiagFunc = validateEnumValue(datadogV1.NewMonitorTypeFromValue)
	// Upstream: the API answers "metric alert" and "query alert" for one another (hashicorp/terraform#13784).
	typ.DiffSuppressFunc = func(_, oldVal, newVal string, _ *schema.ResourceData) bool {
		if (oldVal == "query alert" && newVal == "metric alert") || (oldVal == "metric alert" && newVal == "query alert") {
			return true
		}
		return newVal == oldVal
	}

	thresholds := block(false, 1, 0, map[string]*schema.Schema{
		"ok":                      serviceCheckOnly(floatString()),
		"warning":                 floatString(),
		"critical":                floatString(),
		"unknown":                 serviceCheckOnly(floatString()),
		"warning_recovery":        floatString(),
		"critical_recovery":       floatString(),
		"critical_query":          str(false),
		"critical_recovery_query": str(false),
	})
	thresholds.DiffSuppressFunc = suppressDataDogFloatIntDiff

	noDataTimeframe := integer()
	noDataTimeframe.Default = defaultNoDataTimeframeMinutes
	noDataTimeframe.ConflictsWith = []string{"on_missing_data"}
	noDataTimeframe.DiffSuppressFunc = func(_, oldVal, newVal string, d *schema.ResourceData) bool {
		if !d.Get("notify_no_data").(bool) {
			return true
		}
		return newVal == oldVal
	}

	requireFullWindow := boolean()
	requireFullWindow.Default = true
	// Upstream: a custom schedule forces require_full_window false in the request, so ignore its diff then.
	requireFullWindow.DiffSuppressFunc = func(_, _, _ string, d *schema.ResourceData) bool {
		if attr, ok := d.GetOk("scheduling_options"); ok {
			if so, ok := attr.([]interface{})[0].(map[string]interface{}); ok {
				cs, found := so["custom_schedule"].([]interface{})
				return found && len(cs) > 0
			}
		}
		return false
	}

	validate := boolean()
	// Upstream: never sent to the API, so never a diff.
	validate.DiffSuppressFunc = func(_, _, _ string, _ *schema.ResourceData) bool { return true }

	draftStatus := enum(false, datadogV1.NewMonitorDraftStatusFromValue)
	draftStatus.Default = string(datadogV1.MONITORDRAFTSTATUS_PUBLISHED)

	assetCategory := enum(true, datadogV1.NewMonitorAssetCategoryFromValue)

	return map[string]*schema.Schema{
		"name":               str(true),
		"message":            trimmed(str(true)),
		"escalation_message": trimmed(str(false)),
		"query":              trimmed(str(true)),
		"type":               typ,
		"priority":           str(false),
		"monitor_thresholds": thresholds,
		"monitor_threshold_windows": block(false, 1, 0, map[string]*schema.Schema{
			"recovery_window": str(false),
			"trigger_window":  str(false),
		}),
		"notify_no_data": {
			Type: schema.TypeBool, Optional: true, Default: false,
			ConflictsWith: []string{"on_missing_data"},
		},
		"on_missing_data": {
			Type: schema.TypeString, Optional: true,
			ConflictsWith: []string{"notify_no_data", "no_data_timeframe"},
		},
		"group_retention_duration": str(false),
		"new_group_delay":          integer(),
		"new_host_delay": {
			Type: schema.TypeInt, Optional: true, Default: 300,
			Deprecated: "Use `new_group_delay` except when setting `new_host_delay` to zero.",
		},
		"evaluation_delay":     {Type: schema.TypeInt, Optional: true, Computed: true},
		"no_data_timeframe":    noDataTimeframe,
		"renotify_interval":    integer(),
		"renotify_occurrences": integer(),
		"renotify_statuses": {
			Type:     schema.TypeSet,
			Optional: true,
			Elem: &schema.Schema{
				Type:             schema.TypeString,
				ValidateDiagFunc: validateEnumValue(datadogV1.NewMonitorRenotifyStatusTypeFromValue),
			},
		},
		"notify_audit":        boolean(),
		"timeout_h":           integer(),
		"require_full_window": requireFullWindow,
		"restricted_roles": {
			Type: schema.TypeSet, Optional: true, Computed: true,
			Elem:       &schema.Schema{Type: schema.TypeString},
			Deprecated: "Use `datadog_restriction_policy` resource to manage permission.",
		},
		"include_tags": {Type: schema.TypeBool, Optional: true, Default: true},
		"tags": {
			Type: schema.TypeSet, Optional: true, Computed: true,
			Elem: &schema.Schema{Type: schema.TypeString},
		},
		"ignore_tag_keys": {
			Type:     schema.TypeSet,
			Optional: true,
			Elem: &schema.Schema{
				Type:      schema.TypeString,
				StateFunc: func(val any) string { return normalizeTag(val.(string)) },
			},
		},
		"groupby_simple_monitor": boolean(),
		"notify_by":              {Type: schema.TypeSet, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
		"enable_logs_sample":     boolean(),
		"enable_samples":         boolean(),
		"force_delete":           boolean(),
		"validate":               validate,
		"variables":              monitorFormulaQuerySchema(),
		"scheduling_options": block(false, 1, 0, map[string]*schema.Schema{
			"evaluation_window": block(false, 1, 0, map[string]*schema.Schema{
				"day_starts":   str(false),
				"month_starts": integer(),
				"hour_starts":  integer(),
				"timezone":     str(false),
			}),
			"custom_schedule": block(false, 1, 0, map[string]*schema.Schema{
				"recurrence": block(true, 1, 0, map[string]*schema.Schema{
					"rrule":    str(true),
					"start":    str(false),
					"timezone": str(true),
				}),
			}),
		}),
		"notification_preset_name": enum(false, datadogV1.NewMonitorOptionsNotificationPresetsFromValue),
		"draft_status":             draftStatus,
		"assets": {
			Type:     schema.TypeList,
			Optional: true,
			Elem: &schema.Resource{Schema: map[string]*schema.Schema{
				"name":          str(true),
				"url":           str(true),
				"category":      assetCategory,
				"resource_key":  str(false),
				"resource_type": enum(false, datadogV1.NewMonitorAssetResourceTypeFromValue),
			}},
		},
	}
}

func eventSort() *schema.Schema {
	return block(false, 1, 0, map[string]*schema.Schema{
		"aggregation": enum(true, datadogV1.NewMonitorFormulaAndFunctionEventAggregationFromValue),
		"metric":      str(false),
		"order":       enum(false, datadogV1.NewQuerySortOrderFromValue),
	})
}

func eventCompute() map[string]*schema.Schema {
	return map[string]*schema.Schema{
		"aggregation": enum(true, datadogV1.NewMonitorFormulaAndFunctionEventAggregationFromValue),
		"interval":    integer(),
		"metric":      str(false),
		"name":        str(false),
	}
}

func eventGroupBy() map[string]*schema.Schema {
	return map[string]*schema.Schema{
		"facet":  str(true),
		"source": str(false),
		"limit":  integer(),
		"sort":   eventSort(),
	}
}

func listOf(required bool, minItems int, fields map[string]*schema.Schema) *schema.Schema {
	return block(required, 0, minItems, fields)
}

// Upstream eventQueryVariableSchema.
func eventQueryVariableSchema() map[string]*schema.Schema {
	return map[string]*schema.Schema{
		"data_source": enum(true, datadogV1.NewMonitorFormulaAndFunctionEventsDataSourceFromValue),
		"search":      block(true, 1, 1, map[string]*schema.Schema{"query": str(true)}),
		"indexes":     stringList(),
		"compute":     listOf(true, 1, eventCompute()),
		"group_by":    listOf(false, 0, eventGroupBy()),
		"name":        str(true),
	}
}

func referenceTable() *schema.Schema {
	return block(false, 1, 0, map[string]*schema.Schema{
		"name":         str(false),
		"data_source":  enum(true, datadogV1.NewMonitorFormulaAndFunctionReferenceTableDataSourceFromValue),
		"table_name":   str(true),
		"query_filter": str(false),
		"columns":      listOf(false, 0, map[string]*schema.Schema{"name": str(true), "alias": str(false)}),
	})
}

func baseMetricsQuery() *schema.Schema {
	return block(false, 1, 0, map[string]*schema.Schema{
		"data_source": enum(true, datadogV1.NewMonitorFormulaAndFunctionMetricsDataSourceFromValue),
		"name":        str(false),
		"query":       str(true),
		"aggregator":  enum(false, datadogV1.NewMonitorFormulaAndFunctionMetricsAggregatorFromValue),
	})
}

func eventQueryBlock() *schema.Schema { return block(false, 1, 0, eventQueryVariableSchema()) }

// Upstream aggregateAugmentedQueryVariableSchema.
func aggregateAugmentedQueryVariableSchema() map[string]*schema.Schema {
	return map[string]*schema.Schema{
		"name":                    str(false),
		"data_source":             enum(true, datadogV1.NewMonitorFormulaAndFunctionAggregateAugmentedDataSourceFromValue),
		"augment_reference_table": referenceTable(),
		"augment_event_query":     eventQueryBlock(),
		"base_metrics_query":      baseMetricsQuery(),
		"base_event_query":        eventQueryBlock(),
		"join_condition": block(true, 1, 1, map[string]*schema.Schema{
			"augment_attribute": str(true),
			"base_attribute":    str(true),
			"join_type":         enum(true, datadogV1.NewMonitorFormulaAndFunctionAggregateQueryJoinTypeFromValue),
		}),
		// Upstream: compute is Required without MinItems here; group_by Required with MinItems 1.
		"compute":  listOf(true, 0, eventCompute()),
		"group_by": listOf(true, 1, eventGroupBy()),
	}
}

// Upstream aggregateFilteredQueryVariableSchema.
func aggregateFilteredQueryVariableSchema() map[string]*schema.Schema {
	return map[string]*schema.Schema{
		"name":                   str(false),
		"data_source":            enum(true, datadogV1.NewMonitorFormulaAndFunctionAggregateFilteredDataSourceFromValue),
		"filter_reference_table": referenceTable(),
		"filter_event_query":     eventQueryBlock(),
		"base_metrics_query":     baseMetricsQuery(),
		"base_event_query":       eventQueryBlock(),
		"filters": listOf(true, 1, map[string]*schema.Schema{
			"base_attribute":   str(true),
			"filter_attribute": str(true),
			"exclude":          boolean(),
		}),
		"compute":  listOf(false, 0, eventCompute()),
		"group_by": listOf(false, 0, eventGroupBy()),
	}
}

// Upstream getMonitorFormulaQuerySchema.
func monitorFormulaQuerySchema() *schema.Schema {
	return block(false, 1, 0, map[string]*schema.Schema{
		"event_query": listOf(false, 0, eventQueryVariableSchema()),
		"cloud_cost_query": block(false, 5, 0, map[string]*schema.Schema{
			"data_source": enum(true, datadogV1.NewMonitorFormulaAndFunctionCostDataSourceFromValue),
			"query":       str(true),
			"aggregator":  enum(true, datadogV1.NewMonitorFormulaAndFunctionCostAggregatorFromValue),
			"name":        str(true),
		}),
		"data_quality_query": block(false, 5, 0, map[string]*schema.Schema{
			"name":           str(true),
			"data_source":    enum(true, datadogV1.NewMonitorFormulaAndFunctionDataQualityDataSourceFromValue),
			"schema_version": str(false),
			"measure":        str(true),
			"filter":         str(true),
			"scope":          str(false),
			"group_by":       stringList(),
			"monitor_options": block(false, 1, 0, map[string]*schema.Schema{
				"custom_sql":          str(false),
				"custom_where":        str(false),
				"group_by_columns":    stringList(),
				"crontab_override":    str(false),
				"model_type_override": str(false),
			}),
		}),
		"aggregate_augmented_query": listOf(false, 0, aggregateAugmentedQueryVariableSchema()),
		"aggregate_filtered_query":  listOf(false, 0, aggregateFilteredQueryVariableSchema()),
		"data_jobs_query": block(false, 5, 0, map[string]*schema.Schema{
			"name":          str(true),
			"jobs_query":    str(true),
			"job_type":      str(true),
			"query_dialect": str(true),
		}),
	})
}
