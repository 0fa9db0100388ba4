// Package ddtf: see monitor_schema.go for what is real and what is transcribed.
//
// This file: datadog_monitor's CustomizeDiff and CRUD, following datadog/resource_datadog_monitor.go
// at commit 701d55bc4 (buildMonitorStruct, resourceDatadogMonitorCustomizeDiff, Create, Read, Update,
// Delete, updateMonitorState): the same datadog-api-client-go calls (so the same REST requests and
// JSON bodies) and the same flattening of the API's answer into state.
// Not transcribed: building and flattening `variables` (formula-and-function queries); pico-monitoring
// sets none, and a monitor that does is refused with an error rather than sent half-built.
package ddtf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/customdiff"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/retry"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// Upstream: var retryTimeout = time.Minute.
var retryTimeout = time.Minute

var errVariablesNotTranscribed = errors.New("monitor `variables` are not transcribed in this engine-tier stand-in of terraform-provider-datadog")

func resourceDatadogMonitor() *schema.Resource {
	return &schema.Resource{
		CreateContext: resourceDatadogMonitorCreate,
		ReadContext:   resourceDatadogMonitorRead,
		UpdateContext: resourceDatadogMonitorUpdate,
		DeleteContext: resourceDatadogMonitorDelete,
		CustomizeDiff: customdiff.All(ignoreTagKeysDiff, tagDiff, resourceDatadogMonitorCustomizeDiff),
		Importer:      &schema.ResourceImporter{StateContext: schema.ImportStatePassthroughContext},
		SchemaFunc:    monitorSchema,
	}
}

// getter is what buildMonitorStruct needs of ResourceData and ResourceDiff (upstream utils.Resource).
type getter interface {
	Get(string) interface{}
	GetOk(string) (interface{}, bool)
}

func parseFloat(r interface{}) float64 {
	v, _ := json.Number(r.(string)).Float64()
	return v
}

func buildMonitorStruct(d getter) (*datadogV1.Monitor, *datadogV1.MonitorUpdateRequest, error) {
	var thresholds datadogV1.MonitorThresholds
	if r, ok := d.GetOk("monitor_thresholds.0.ok"); ok {
		thresholds.SetOk(parseFloat(r))
	}
	if r, ok := d.GetOk("monitor_thresholds.0.warning"); ok {
		thresholds.SetWarning(parseFloat(r))
	}
	if r, ok := d.GetOk("monitor_thresholds.0.unknown"); ok {
		thresholds.SetUnknown(parseFloat(r))
	}
	if r, ok := d.GetOk("monitor_thresholds.0.critical"); ok {
		thresholds.SetCritical(parseFloat(r))
	}
	if r, ok := d.GetOk("monitor_thresholds.0.warning_recovery"); ok {
		thresholds.SetWarningRecovery(parseFloat(r))
	}
	if r, ok := d.GetOk("monitor_thresholds.0.critical_recovery"); ok {
		thresholds.SetCriticalRecovery(parseFloat(r))
	}
	if r, ok := d.GetOk("monitor_thresholds.0.critical_query"); ok {
		thresholds.SetCriticalQuery(r.(string))
	}
	if r, ok := d.GetOk("monitor_thresholds.0.critical_recovery_query"); ok {
		thresholds.SetCriticalRecoveryQuery(r.(string))
	}

	var windows datadogV1.MonitorThresholdWindowOptions
	if r, ok := d.GetOk("monitor_threshold_windows.0.recovery_window"); ok {
		windows.SetRecoveryWindow(r.(string))
	}
	if r, ok := d.GetOk("monitor_threshold_windows.0.trigger_window"); ok {
		windows.SetTriggerWindow(r.(string))
	}

	o := datadogV1.MonitorOptions{}
	hasCustomSchedule := false
	if attr, ok := d.GetOk("scheduling_options"); ok {
		if so, ok := attr.([]interface{})[0].(map[string]interface{}); ok {
			sched := datadogV1.NewMonitorOptionsSchedulingOptions()
			if ewl, found := so["evaluation_window"].([]interface{}); found && len(ewl) > 0 {
				if ewm, ok := ewl[0].(map[string]interface{}); ok {
					ew := datadogV1.NewMonitorOptionsSchedulingOptionsEvaluationWindow()
					dayMonth := false
					if v, ok := ewm["day_starts"].(string); ok && v != "" {
						ew.SetDayStarts(v)
						dayMonth = true
					}
					if v, ok := ewm["month_starts"].(int); ok && v != 0 {
						ew.SetMonthStarts(int32(v))
						dayMonth = true
					}
					if v, ok := ewm["hour_starts"].(int); ok && !dayMonth {
						ew.SetHourStarts(int32(v))
					}
					if v, ok := ewm["timezone"].(string); ok && v != "" {
						ew.SetTimezone(v)
					}
					sched.SetEvaluationWindow(*ew)
				}
			}
			if csl, found := so["custom_schedule"].([]interface{}); found && len(csl) > 0 {
				hasCustomSchedule = true
				if recs, ok := csl[0].(map[string]interface{})["recurrence"].([]interface{}); ok {
					rec := datadogV1.NewMonitorOptionsCustomScheduleRecurrence()
					first := recs[0].(map[string]interface{})
					if v, ok := first["rrule"].(string); ok {
						rec.SetRrule(v)
					}
					if v, ok := first["start"].(string); ok && v != "" {
						rec.SetStart(v)
					}
					if v, ok := first["timezone"].(string); ok {
						rec.SetTimezone(v)
					}
					cs := datadogV1.NewMonitorOptionsCustomSchedule()
					cs.SetRecurrences([]datadogV1.MonitorOptionsCustomScheduleRecurrence{*rec})
					sched.SetCustomSchedule(*cs)
				}
			}
			if sched.HasCustomSchedule() || sched.HasEvaluationWindow() {
				o.SetSchedulingOptions(*sched)
			}
		}
	}
	o.SetThresholds(thresholds)
	o.SetIncludeTags(d.Get("include_tags").(bool))
	if !hasCustomSchedule {
		o.SetNotifyNoData(d.Get("notify_no_data").(bool))
		o.SetRequireFullWindow(d.Get("require_full_window").(bool))
	} else {
		o.SetRequireFullWindow(false)
	}
	if windows.HasRecoveryWindow() || windows.HasTriggerWindow() {
		o.SetThresholdWindows(windows)
	}
	if attr, ok := d.GetOk("group_retention_duration"); ok {
		o.SetGroupRetentionDuration(attr.(string))
	}
	if attr, ok := d.GetOk("new_group_delay"); ok {
		o.SetNewGroupDelay(int64(attr.(int)))
	}
	// Upstream: always sent (GetOk cannot tell 0 from unset).
	o.SetNewHostDelay(int64(d.Get("new_host_delay").(int)))
	if attr, ok := d.GetOk("evaluation_delay"); ok {
		o.SetEvaluationDelay(int64(attr.(int)))
	}
	attr, onMissingDataOk := d.GetOk("on_missing_data")
	if onMissingDataOk {
		o.SetOnMissingData(datadogV1.OnMissingDataOption(attr.(string)))
	}
	// Upstream: no_data_timeframe (default 10) is left out when on_missing_data or a custom schedule is set.
	if attr, ok := d.GetOk("no_data_timeframe"); ok && !onMissingDataOk && !hasCustomSchedule {
		o.SetNoDataTimeframe(int64(attr.(int)))
	}
	if attr, ok := d.GetOk("renotify_interval"); ok {
		o.SetRenotifyInterval(int64(attr.(int)))
	}
	if attr, ok := d.GetOk("renotify_occurrences"); ok {
		o.SetRenotifyOccurrences(int64(attr.(int)))
	}
	if attr, ok := d.GetOk("renotify_statuses"); ok {
		statuses := []datadogV1.MonitorRenotifyStatusType{}
		for _, s := range attr.(*schema.Set).List() {
			statuses = append(statuses, datadogV1.MonitorRenotifyStatusType(s.(string)))
		}
		o.SetRenotifyStatuses(statuses)
	} else {
		o.SetRenotifyStatuses(nil)
	}
	if attr, ok := d.GetOk("notify_audit"); ok {
		o.SetNotifyAudit(attr.(bool))
	}
	if attr, ok := d.GetOk("timeout_h"); ok {
		o.SetTimeoutH(int64(attr.(int)))
	}
	if attr, ok := d.GetOk("escalation_message"); ok {
		o.SetEscalationMessage(attr.(string))
	}
	if v, ok := d.GetOk("variables"); ok && len(v.([]interface{})) > 0 && v.([]interface{})[0] != nil {
		return nil, nil, errVariablesNotTranscribed
	}

	monitorType := datadogV1.MonitorType(d.Get("type").(string))
	if monitorType == datadogV1.MONITORTYPE_LOG_ALERT {
		if attr, ok := d.GetOk("enable_logs_sample"); ok {
			o.SetEnableLogsSample(attr.(bool))
		} else {
			o.SetEnableLogsSample(false)
		}
		if attr, ok := d.GetOk("groupby_simple_monitor"); ok {
			o.SetGroupbySimpleMonitor(attr.(bool))
		}
	}
	if monitorType == datadogV1.MONITORTYPE_CI_PIPELINES_ALERT || monitorType == datadogV1.MONITORTYPE_CI_TESTS_ALERT {
		if attr, ok := d.GetOk("enable_samples"); ok {
			o.SetEnableSamples(attr.(bool))
		} else {
			o.SetEnableSamples(false)
		}
	}
	if attr, ok := d.GetOk("notify_by"); ok {
		notifyBy := setStrings(attr.(*schema.Set))
		sort.Strings(notifyBy)
		o.SetNotifyBy(notifyBy)
	}
	if attr, ok := d.GetOk("notification_preset_name"); ok {
		o.SetNotificationPresetName(datadogV1.MonitorOptionsNotificationPresets(attr.(string)))
	}

	query := d.Get("query").(string)
	name := d.Get("name").(string)
	message := d.Get("message").(string)
	m := datadogV1.NewMonitor(query, monitorType)
	m.SetName(name)
	m.SetMessage(message)
	m.SetOptions(o)
	u := datadogV1.NewMonitorUpdateRequest()
	u.SetType(monitorType)
	u.SetQuery(query)
	u.SetName(name)
	u.SetMessage(message)
	u.SetOptions(o)

	if ds, ok := d.GetOk("draft_status"); ok {
		m.SetDraftStatus(datadogV1.MonitorDraftStatus(ds.(string)))
		u.SetDraftStatus(datadogV1.MonitorDraftStatus(ds.(string)))
	}
	if attr, ok := d.GetOk("priority"); ok {
		x, _ := strconv.ParseInt(attr.(string), 10, 64)
		m.SetPriority(x)
		u.SetPriority(x)
	} else {
		m.SetPriorityNil()
		u.SetPriorityNil()
	}
	var roles []string
	if attr, ok := d.GetOk("restricted_roles"); ok {
		roles = setStrings(attr.(*schema.Set))
		sort.Strings(roles)
	}
	m.SetRestrictedRoles(roles)
	u.SetRestrictedRoles(roles)
	tags := []string{}
	if attr, ok := d.GetOk("tags"); ok {
		tags = setStrings(attr.(*schema.Set))
		sort.Strings(tags)
	}
	m.SetTags(tags)
	u.SetTags(tags)
	if attr, ok := d.GetOk("assets"); ok {
		if assets := buildMonitorAssets(attr.([]interface{})); len(assets) > 0 {
			m.SetAssets(assets)
			u.SetAssets(assets)
		}
	}
	return m, u, nil
}

func buildMonitorAssets(tfAssets []interface{}) []datadogV1.MonitorAsset {
	assets := []datadogV1.MonitorAsset{}
	for _, raw := range tfAssets {
		a, ok := raw.(map[string]interface{})
		if !ok {
			continue
		}
		category, _ := a["category"].(string)
		name, _ := a["name"].(string)
		u, _ := a["url"].(string)
		asset := datadogV1.NewMonitorAsset(datadogV1.MonitorAssetCategory(category), name, u)
		if v, ok := a["resource_key"].(string); ok && v != "" {
			asset.SetResourceKey(v)
		}
		if v, ok := a["resource_type"].(string); ok && v != "" {
			asset.SetResourceType(datadogV1.MonitorAssetResourceType(v))
		}
		assets = append(assets, *asset)
	}
	return assets
}

// Upstream: validation against POST /api/v1/monitor/validate (or /monitor/{id}/validate) at plan time,
// unless query or type are not known yet or `validate = false`.
func resourceDatadogMonitorCustomizeDiff(ctx context.Context, diff *schema.ResourceDiff, meta interface{}) error {
	if _, ok := diff.GetOk("query"); !ok {
		return nil
	}
	if _, ok := diff.GetOk("type"); !ok {
		return nil
	}
	//nolint:staticcheck // GetOkExists is what upstream uses to tell an explicit false from unset.
	if validate, ok := diff.GetOkExists("validate"); ok && !validate.(bool) {
		return nil
	}
	m, _, err := buildMonitorStruct(diff)
	if err != nil {
		return err
	}
	id, parseErr := strconv.ParseInt(diff.Id(), 10, 64)
	hasID := parseErr == nil
	conf := meta.(*Configuration)
	return retry.RetryContext(ctx, retryTimeout, func() *retry.RetryError {
		var httpresp *http.Response
		var err error
		if hasID {
			_, httpresp, err = conf.Monitors.ValidateExistingMonitor(conf.Auth, id, *m)
		} else {
			_, httpresp, err = conf.Monitors.ValidateMonitor(conf.Auth, *m)
		}
		if err != nil {
			if httpresp != nil && (httpresp.StatusCode == 502 || httpresp.StatusCode == 504) {
				return retry.RetryableError(translateClientError(err, httpresp, "error validating monitor, retrying"))
			}
			return retry.NonRetryableError(translateClientError(err, httpresp, "error validating monitor"))
		}
		return nil
	})
}

func resourceDatadogMonitorCreate(_ context.Context, d *schema.ResourceData, meta interface{}) diag.Diagnostics {
	conf := meta.(*Configuration)
	m, _, err := buildMonitorStruct(d)
	if err != nil {
		return diag.FromErr(err)
	}
	created, httpresp, err := conf.Monitors.CreateMonitor(conf.Auth, *m)
	if err != nil {
		return translateClientErrorDiag(err, httpresp, "error creating monitor")
	}
	if err := checkForUnparsed(m); err != nil {
		return diag.FromErr(err)
	}
	d.SetId(strconv.FormatInt(created.GetId(), 10))
	return updateMonitorState(d, &created)
}

func setAll(d *schema.ResourceData, values [][2]interface{}) diag.Diagnostics {
	for _, kv := range values {
		if err := d.Set(kv[0].(string), kv[1]); err != nil {
			return diag.FromErr(err)
		}
	}
	return nil
}

// updateMonitorState flattens the API's monitor into state as upstream does, field for field.
func updateMonitorState(d *schema.ResourceData, m *datadogV1.Monitor) diag.Diagnostics {
	thresholds := map[string]string{}
	t := m.Options.Thresholds
	if v, ok := t.GetOkOk(); ok {
		thresholds["ok"] = fmt.Sprintf("%v", *v)
	}
	if v, ok := t.GetWarningOk(); ok {
		thresholds["warning"] = fmt.Sprintf("%v", *v)
	}
	if v, ok := t.GetCriticalOk(); ok {
		thresholds["critical"] = fmt.Sprintf("%v", *v)
	}
	if v, ok := t.GetUnknownOk(); ok {
		thresholds["unknown"] = fmt.Sprintf("%v", *v)
	}
	if v, ok := t.GetWarningRecoveryOk(); ok {
		thresholds["warning_recovery"] = fmt.Sprintf("%v", *v)
	}
	if v, ok := t.GetCriticalRecoveryOk(); ok {
		thresholds["critical_recovery"] = fmt.Sprintf("%v", *v)
	}
	if v, ok := t.GetCriticalQueryOk(); ok {
		thresholds["critical_query"] = *v
	}
	if v, ok := t.GetCriticalRecoveryQueryOk(); ok {
		thresholds["critical_recovery_query"] = *v
	}
	windows := map[string]string{}
	if v := m.Options.ThresholdWindows.GetRecoveryWindow(); v != "" {
		windows["recovery_window"] = v
	}
	if v := m.Options.ThresholdWindows.GetTriggerWindow(); v != "" {
		windows["trigger_window"] = v
	}

	if diags := setAll(d, [][2]interface{}{
		{"name", m.GetName()}, {"message", m.GetMessage()}, {"query", m.GetQuery()}, {"type", m.GetType()},
	}); diags != nil {
		return diags
	}
	// Upstream: the API leaves draft_status out when the draft feature is off; state says "published" then.
	draft := string(datadogV1.MONITORDRAFTSTATUS_PUBLISHED)
	if v, ok := m.GetDraftStatusOk(); ok && v != nil {
		draft = string(*v)
	}
	priority := ""
	if p, _ := m.GetPriorityOk(); p != nil {
		priority = strconv.FormatInt(*p, 10)
	}
	if diags := setAll(d, [][2]interface{}{{"draft_status", draft}, {"priority", priority}}); diags != nil {
		return diags
	}
	if len(thresholds) > 0 {
		if err := d.Set("monitor_thresholds", []interface{}{thresholds}); err != nil {
			return diag.FromErr(err)
		}
	}
	if len(windows) > 0 {
		if err := d.Set("monitor_threshold_windows", []interface{}{windows}); err != nil {
			return diag.FromErr(err)
		}
	}
	o := m.Options
	if err := d.Set("new_group_delay", o.GetNewGroupDelay()); err != nil {
		return diag.FromErr(err)
	}
	if v, ok := o.GetNewHostDelayOk(); ok && v != nil {
		if err := d.Set("new_host_delay", *v); err != nil {
			return diag.FromErr(err)
		}
	}
	if err := d.Set("evaluation_delay", o.GetEvaluationDelay()); err != nil {
		return diag.FromErr(err)
	}
	if v, ok := o.GetNotifyNoDataOk(); ok {
		if err := d.Set("notify_no_data", v); err != nil {
			return diag.FromErr(err)
		}
	}
	if diags := setAll(d, [][2]interface{}{
		{"on_missing_data", o.GetOnMissingData()},
		{"group_retention_duration", o.GetGroupRetentionDuration()},
	}); diags != nil {
		return diags
	}
	if v, ok := o.GetNoDataTimeframeOk(); ok {
		if err := d.Set("no_data_timeframe", v); err != nil {
			return diag.FromErr(err)
		}
	}
	if diags := setAll(d, [][2]interface{}{
		{"renotify_interval", o.GetRenotifyInterval()},
		{"renotify_occurrences", o.GetRenotifyOccurrences()},
		{"notify_audit", o.GetNotifyAudit()},
		{"timeout_h", o.GetTimeoutH()},
		{"escalation_message", o.GetEscalationMessage()},
		{"include_tags", o.GetIncludeTags()},
	}); diags != nil {
		return diags
	}
	if statuses, ok := o.GetRenotifyStatusesOk(); ok && len(*statuses) > 0 {
		if err := d.Set("renotify_statuses", append([]datadogV1.MonitorRenotifyStatusType{}, *statuses...)); err != nil {
			return diag.FromErr(err)
		}
	}
	tags := append([]string{}, m.GetTags()...)
	sort.Strings(tags)
	if diags := setAll(d, [][2]interface{}{{"tags", tags}, {"require_full_window", o.GetRequireFullWindow()}}); diags != nil {
		return diags
	}
	if roles, ok := m.GetRestrictedRolesOk(); ok {
		// Upstream buildTerraformRestrictedRoles: a null list becomes an empty one.
		out := []string{}
		if roles != nil {
			out = append(out, *roles...)
		}
		if err := d.Set("restricted_roles", out); err != nil {
			return diag.FromErr(err)
		}
	}
	if vars, ok := o.GetVariablesOk(); ok && len(*vars) > 0 {
		return diag.FromErr(errVariablesNotTranscribed)
	}
	if m.GetType() == datadogV1.MONITORTYPE_LOG_ALERT {
		if diags := setAll(d, [][2]interface{}{
			{"enable_logs_sample", o.GetEnableLogsSample()},
			{"groupby_simple_monitor", o.GetGroupbySimpleMonitor()},
		}); diags != nil {
			return diags
		}
	}
	if m.GetType() == datadogV1.MONITORTYPE_CI_PIPELINES_ALERT || m.GetType() == datadogV1.MONITORTYPE_CI_TESTS_ALERT {
		if err := d.Set("enable_samples", o.GetEnableSamples()); err != nil {
			return diag.FromErr(err)
		}
	}
	if err := d.Set("notify_by", o.GetNotifyBy()); err != nil {
		return diag.FromErr(err)
	}

	ew := map[string]interface{}{}
	if e, ok := o.SchedulingOptions.GetEvaluationWindowOk(); ok {
		if v, ok := e.GetDayStartsOk(); ok {
			ew["day_starts"] = *v
		}
		if v, ok := e.GetHourStartsOk(); ok {
			ew["hour_starts"] = v
		}
		if v, ok := e.GetMonthStartsOk(); ok {
			ew["month_starts"] = v
		}
		if v, ok := e.GetTimezoneOk(); ok {
			ew["timezone"] = *v
		}
	}
	cs := map[string]interface{}{}
	if c, ok := o.SchedulingOptions.GetCustomScheduleOk(); ok {
		if recs, ok := c.GetRecurrencesOk(); ok && len(*recs) > 0 {
			rec := map[string]interface{}{}
			r := (*recs)[0]
			if v, ok := r.GetRruleOk(); ok {
				rec["rrule"] = v
			}
			if v, ok := r.GetStartOk(); ok {
				rec["start"] = v
			}
			if v, ok := r.GetTimezoneOk(); ok {
				rec["timezone"] = v
			}
			cs["recurrence"] = []interface{}{rec}
		}
	}
	so := map[string]interface{}{}
	if len(ew) > 0 {
		so["evaluation_window"] = []interface{}{ew}
	}
	if len(cs) > 0 {
		so["custom_schedule"] = []interface{}{cs}
	}
	if len(so) > 0 {
		if err := d.Set("scheduling_options", []interface{}{so}); err != nil {
			return diag.FromErr(err)
		}
	}
	if err := d.Set("notification_preset_name", o.GetNotificationPresetName()); err != nil {
		return diag.FromErr(err)
	}
	if assets, ok := m.GetAssetsOk(); ok && assets != nil {
		out := []map[string]interface{}{}
		for _, a := range *assets {
			tf := map[string]interface{}{"name": a.GetName(), "url": a.GetUrl(), "category": string(a.GetCategory())}
			if v, ok := a.GetResourceKeyOk(); ok && v != nil {
				tf["resource_key"] = *v
			}
			if v, ok := a.GetResourceTypeOk(); ok && v != nil {
				tf["resource_type"] = string(*v)
			}
			out = append(out, tf)
		}
		if err := d.Set("assets", out); err != nil {
			return diag.FromErr(err)
		}
	}
	return nil
}

func resourceDatadogMonitorRead(ctx context.Context, d *schema.ResourceData, meta interface{}) diag.Diagnostics {
	conf := meta.(*Configuration)
	id, err := strconv.ParseInt(d.Id(), 10, 64)
	if err != nil {
		return diag.FromErr(err)
	}
	var m datadogV1.Monitor
	if err := retry.RetryContext(ctx, d.Timeout(schema.TimeoutRead), func() *retry.RetryError {
		var httpresp *http.Response
		var err error
		m, httpresp, err = conf.Monitors.GetMonitor(conf.Auth, id, *datadogV1.NewGetMonitorOptionalParameters().WithWithAssets(true))
		if err != nil {
			if httpresp != nil {
				if httpresp.StatusCode == 404 {
					d.SetId("")
					return nil
				} else if httpresp.StatusCode == 502 {
					return retry.RetryableError(translateClientError(err, httpresp, "error getting monitor, retrying"))
				}
			}
			return retry.NonRetryableError(translateClientError(err, httpresp, "error getting monitor"))
		}
		if err := checkForUnparsed(m); err != nil {
			return retry.NonRetryableError(err)
		}
		return nil
	}); err != nil {
		return diag.FromErr(err)
	}
	if d.Id() == "" {
		return nil
	}
	return updateMonitorState(d, &m)
}

func resourceDatadogMonitorUpdate(_ context.Context, d *schema.ResourceData, meta interface{}) diag.Diagnostics {
	conf := meta.(*Configuration)
	_, u, err := buildMonitorStruct(d)
	if err != nil {
		return diag.FromErr(err)
	}
	id, err := strconv.ParseInt(d.Id(), 10, 64)
	if err != nil {
		return diag.FromErr(err)
	}
	u.Id = &id
	resp, httpresp, err := conf.Monitors.UpdateMonitor(conf.Auth, id, *u)
	if err != nil {
		return translateClientErrorDiag(err, httpresp, "error updating monitor")
	}
	if err := checkForUnparsed(resp); err != nil {
		return diag.FromErr(err)
	}
	return updateMonitorState(d, &resp)
}

func resourceDatadogMonitorDelete(_ context.Context, d *schema.ResourceData, meta interface{}) diag.Diagnostics {
	conf := meta.(*Configuration)
	id, err := strconv.ParseInt(d.Id(), 10, 64)
	if err != nil {
		return diag.FromErr(err)
	}
	var httpresp *http.Response
	if d.Get("force_delete").(bool) {
		_, httpresp, err = conf.Monitors.DeleteMonitor(conf.Auth, id, *datadogV1.NewDeleteMonitorOptionalParameters().WithForce("true"))
	} else {
		_, httpresp, err = conf.Monitors.DeleteMonitor(conf.Auth, id)
	}
	if err != nil {
		return translateClientErrorDiag(err, httpresp, "error deleting monitor")
	}
	return nil
}
