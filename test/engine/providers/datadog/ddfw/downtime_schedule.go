// Package ddfw: see provider.go for what is real and what is transcribed.
//
// This file: datadog_downtime_schedule, transcribed from datadog/fwprovider/resource_datadog_downtime_schedule.go
// at 701d55bc4 (unchanged there since 422fe5cc5, "[downtime_schedule] Validate recurrence start", #3096):
// the schema (attributes, SingleNestedBlocks, sets, Optional/Computed, validators and plan modifiers), the
// request bodies it builds and the API calls it makes through datadog-api-client-go v2 (DowntimesApi
// CreateDowntime, GetDowntime, UpdateDowntime, CancelDowntime), and how it maps the response into state.
// Helpers upstream keeps elsewhere are written here: utils.ResourceIDAttribute, utils.FrameworkErrorDiag,
// validators.TimeFormatValidator, planmodifiers.RemoveBlockModifier. Descriptions are left out (docs only).
//
// Two behaviours that matter to pico-monitoring, as upstream has them:
//   - Read: a 404 removes the resource from state; a downtime the API still returns is kept whatever its
//     status (scheduled, active, canceled or ended). Nothing in the resource looks at `status`.
//   - Delete: DELETE /api/v2/downtime/{id} (CancelDowntime); a 404 counts as already gone, any other
//     error fails the delete.
package ddfw

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type DowntimeScheduleResource struct {
	api  *datadogV2.DowntimesApi
	auth context.Context
}

type downtimeModel struct {
	ID                            types.String       `tfsdk:"id"`
	DisplayTimezone               types.String       `tfsdk:"display_timezone"`
	Message                       types.String       `tfsdk:"message"`
	MuteFirstRecoveryNotification types.Bool         `tfsdk:"mute_first_recovery_notification"`
	Scope                         types.String       `tfsdk:"scope"`
	NotifyEndStates               types.Set          `tfsdk:"notify_end_states"`
	NotifyEndTypes                types.Set          `tfsdk:"notify_end_types"`
	MonitorIdentifier             *monitorIdentifier `tfsdk:"monitor_identifier"`
	RecurringSchedule             *recurringSchedule `tfsdk:"recurring_schedule"`
	OneTimeSchedule               *oneTimeSchedule   `tfsdk:"one_time_schedule"`
}

type monitorIdentifier struct {
	MonitorID   types.Int64 `tfsdk:"monitor_id"`
	MonitorTags types.Set   `tfsdk:"monitor_tags"`
}

type recurringSchedule struct {
	Timezone    types.String  `tfsdk:"timezone"`
	Recurrences []*recurrence `tfsdk:"recurrence"`
}

type recurrence struct {
	Duration types.String `tfsdk:"duration"`
	Rrule    types.String `tfsdk:"rrule"`
	Start    types.String `tfsdk:"start"`
}

type oneTimeSchedule struct {
	End   types.String `tfsdk:"end"`
	Start types.String `tfsdk:"start"`
}

// The formats upstream's TimeFormatValidator is given: one-time start/end in UTC with a Z, recurrence
// start without an offset.
const (
	utcFormat   = "2006-01-02T15:04:05Z"
	localFormat = "2006-01-02T15:04:05"
)

func NewDowntimeScheduleResource() *DowntimeScheduleResource { return &DowntimeScheduleResource{} }

func (r *DowntimeScheduleResource) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	p, _ := req.ProviderData.(*Provider)
	r.api = p.Downtimes
	r.auth = p.Auth
}

func (r *DowntimeScheduleResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "downtime_schedule"
}

func (r *DowntimeScheduleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"display_timezone":                 schema.StringAttribute{Optional: true, Computed: true},
			"message":                          schema.StringAttribute{Optional: true},
			"mute_first_recovery_notification": schema.BoolAttribute{Optional: true, Computed: true},
			"scope":                            schema.StringAttribute{Required: true},
			"notify_end_states":                schema.SetAttribute{Optional: true, Computed: true, ElementType: types.StringType},
			"notify_end_types":                 schema.SetAttribute{Optional: true, Computed: true, ElementType: types.StringType},
			// utils.ResourceIDAttribute
			"id": schema.StringAttribute{
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"monitor_identifier": schema.SingleNestedBlock{
				Attributes: map[string]schema.Attribute{
					"monitor_id": schema.Int64Attribute{
						Optional:   true,
						Validators: []validator.Int64{int64validator.ExactlyOneOf(path.MatchRelative().AtParent().AtName("monitor_tags"))},
					},
					"monitor_tags": schema.SetAttribute{Optional: true, ElementType: types.StringType},
				},
				Validators: []validator.Object{objectvalidator.IsRequired()},
			},
			"one_time_schedule": schema.SingleNestedBlock{
				Attributes: map[string]schema.Attribute{
					"end":   schema.StringAttribute{Optional: true, Validators: []validator.String{timeFormat(utcFormat)}},
					"start": schema.StringAttribute{Optional: true, Computed: true, Validators: []validator.String{timeFormat(utcFormat)}},
				},
				Validators:    []validator.Object{objectvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("recurring_schedule"))},
				PlanModifiers: []planmodifier.Object{removedBlockIsNull{}},
			},
			"recurring_schedule": schema.SingleNestedBlock{
				Attributes: map[string]schema.Attribute{
					"timezone": schema.StringAttribute{Optional: true, Computed: true},
				},
				Blocks: map[string]schema.Block{
					"recurrence": schema.ListNestedBlock{
						NestedObject: schema.NestedBlockObject{
							Attributes: map[string]schema.Attribute{
								"duration": schema.StringAttribute{Required: true},
								"rrule":    schema.StringAttribute{Required: true},
								"start": schema.StringAttribute{
									Optional: true, Computed: true,
									Validators: []validator.String{timeFormat(localFormat)},
								},
							},
						},
					},
				},
				Validators:    []validator.Object{objectvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("one_time_schedule"))},
				PlanModifiers: []planmodifier.Object{removedBlockIsNull{}},
			},
		},
	}
}

func (r *DowntimeScheduleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

func (r *DowntimeScheduleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state downtimeModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, httpResp, err := r.api.GetDowntime(r.auth, state.ID.ValueString())
	if err != nil {
		if httpResp != nil && httpResp.StatusCode == 404 {
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.Append(errorDiag(err, "error retrieving DowntimeSchedule"))
		return
	}
	fillState(ctx, &state, &got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *DowntimeScheduleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var state downtimeModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	body, diags := createBody(ctx, &state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, _, err := r.api.CreateDowntime(r.auth, *body)
	if err != nil {
		// Upstream's message for a failed create, verbatim in meaning: "error retrieving DowntimeSchedule".
		resp.Diagnostics.Append(errorDiag(err, "error retrieving DowntimeSchedule"))
		return
	}
	fillState(ctx, &state, &got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *DowntimeScheduleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var state downtimeModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	body, diags := updateBody(ctx, &state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, _, err := r.api.UpdateDowntime(r.auth, state.ID.ValueString(), *body)
	if err != nil {
		resp.Diagnostics.Append(errorDiag(err, "error retrieving DowntimeSchedule"))
		return
	}
	fillState(ctx, &state, &got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *DowntimeScheduleResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state downtimeModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	httpResp, err := r.api.CancelDowntime(r.auth, state.ID.ValueString())
	if err != nil {
		if httpResp != nil && httpResp.StatusCode == 404 {
			return // already gone
		}
		resp.Diagnostics.Append(errorDiag(err, "error deleting downtime_schedule"))
	}
}

// fillState: upstream updateState. Fields the response leaves out keep the plan's or state's value.
func fillState(ctx context.Context, state *downtimeModel, resp *datadogV2.DowntimeResponse) {
	data := resp.GetData()
	state.ID = types.StringValue(data.GetId())
	attrs := data.GetAttributes()

	if v, ok := attrs.GetDisplayTimezoneOk(); ok && v != nil {
		state.DisplayTimezone = types.StringValue(*v)
	}
	if v, ok := attrs.GetMessageOk(); ok && v != nil {
		state.Message = types.StringValue(*v)
	}
	if v, ok := attrs.GetMuteFirstRecoveryNotificationOk(); ok {
		state.MuteFirstRecoveryNotification = types.BoolValue(*v)
	}
	state.Scope = types.StringValue(attrs.GetScope())
	if v, ok := attrs.GetNotifyEndStatesOk(); ok && v != nil {
		state.NotifyEndStates, _ = types.SetValueFrom(ctx, types.StringType, *v)
	}
	if v, ok := attrs.GetNotifyEndTypesOk(); ok && v != nil {
		state.NotifyEndTypes, _ = types.SetValueFrom(ctx, types.StringType, *v)
	}

	state.MonitorIdentifier = &monitorIdentifier{}
	if byID := attrs.MonitorIdentifier.DowntimeMonitorIdentifierId; byID != nil {
		state.MonitorIdentifier.MonitorID = types.Int64Value(byID.MonitorId)
		state.MonitorIdentifier.MonitorTags = types.SetNull(types.StringType)
	}
	if byTags := attrs.MonitorIdentifier.DowntimeMonitorIdentifierTags; byTags != nil {
		state.MonitorIdentifier.MonitorTags, _ = types.SetValueFrom(ctx, types.StringType, byTags.MonitorTags)
	}

	sched, ok := attrs.GetScheduleOk()
	if !ok {
		return
	}
	if rec := sched.DowntimeScheduleRecurrencesResponse; rec != nil {
		out := recurringSchedule{}
		if list, ok := rec.GetRecurrencesOk(); ok && len(*list) > 0 {
			out.Recurrences = []*recurrence{}
			for _, item := range *list {
				one := recurrence{}
				if v, ok := item.GetDurationOk(); ok {
					one.Duration = types.StringValue(*v)
				}
				if v, ok := item.GetRruleOk(); ok {
					one.Rrule = types.StringValue(*v)
				}
				if v, ok := item.GetStartOk(); ok {
					one.Start = types.StringValue(*v)
				}
				out.Recurrences = append(out.Recurrences, &one)
			}
		}
		if v, ok := rec.GetTimezoneOk(); ok {
			out.Timezone = types.StringValue(*v)
		}
		state.RecurringSchedule = &out
	}
	if once := sched.DowntimeScheduleOneTimeResponse; once != nil {
		out := oneTimeSchedule{}
		if v, ok := once.GetEndOk(); ok && v != nil {
			out.End = types.StringValue(v.Format(utcFormat))
		}
		if v, ok := once.GetStartOk(); ok {
			out.Start = types.StringValue(v.Format(utcFormat))
		}
		state.OneTimeSchedule = &out
	}
}

// endStates converts the two sets; as upstream, an unknown set (Computed, not configured) is left out
// of the body, a known one (also empty) is sent.
func endStates(ctx context.Context, state *downtimeModel) (*[]datadogV2.DowntimeNotifyEndStateTypes, *[]datadogV2.DowntimeNotifyEndStateActions, diag.Diagnostics) {
	var diags diag.Diagnostics
	var states *[]datadogV2.DowntimeNotifyEndStateTypes
	var types_ *[]datadogV2.DowntimeNotifyEndStateActions
	if !state.NotifyEndStates.IsUnknown() {
		var v []datadogV2.DowntimeNotifyEndStateTypes
		diags.Append(state.NotifyEndStates.ElementsAs(ctx, &v, false)...)
		states = &v
	}
	if !state.NotifyEndTypes.IsUnknown() {
		var v []datadogV2.DowntimeNotifyEndStateActions
		diags.Append(state.NotifyEndTypes.ElementsAs(ctx, &v, false)...)
		types_ = &v
	}
	return states, types_, diags
}

// identifier: monitor_id wins over monitor_tags; neither is an error (as upstream).
func identifier(ctx context.Context, state *downtimeModel, diags *diag.Diagnostics) datadogV2.DowntimeMonitorIdentifier {
	var id datadogV2.DowntimeMonitorIdentifier
	switch {
	case !state.MonitorIdentifier.MonitorID.IsNull():
		byID := datadogV2.DowntimeMonitorIdentifierId{}
		byID.SetMonitorId(state.MonitorIdentifier.MonitorID.ValueInt64())
		id.DowntimeMonitorIdentifierId = &byID
	case !state.MonitorIdentifier.MonitorTags.IsNull():
		var tags []string
		diags.Append(state.MonitorIdentifier.MonitorTags.ElementsAs(ctx, &tags, false)...)
		byTags := datadogV2.DowntimeMonitorIdentifierTags{}
		byTags.SetMonitorTags(tags)
		id.DowntimeMonitorIdentifierTags = &byTags
	default:
		diags.AddError("monitor_identifier.monitor_id or monitor_identifier.monitor_tags must be set", "")
	}
	return id
}

func parseUTC(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// createBody: upstream buildDowntimeScheduleCreateRequestBody.
func createBody(ctx context.Context, state *downtimeModel) (*datadogV2.DowntimeCreateRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	attrs := datadogV2.NewDowntimeCreateRequestAttributesWithDefaults()
	// Null, not unknown, is what is left out: an unset Computed display_timezone is unknown in the plan,
	// so upstream sends "" (TestAccDowntimeScheduleBasicOneTime.yaml records "display_timezone":"").
	if !state.DisplayTimezone.IsNull() {
		attrs.SetDisplayTimezone(state.DisplayTimezone.ValueString())
	}
	if !state.Message.IsNull() {
		attrs.SetMessage(state.Message.ValueString())
	}
	if !state.MuteFirstRecoveryNotification.IsNull() {
		attrs.SetMuteFirstRecoveryNotification(state.MuteFirstRecoveryNotification.ValueBool())
	}
	attrs.SetScope(state.Scope.ValueString())
	states, actions, d := endStates(ctx, state)
	diags.Append(d...)
	if states != nil {
		attrs.SetNotifyEndStates(*states)
	}
	if actions != nil {
		attrs.SetNotifyEndTypes(*actions)
	}
	attrs.MonitorIdentifier = identifier(ctx, state, &diags)

	var sched datadogV2.DowntimeScheduleCreateRequest
	switch {
	case state.RecurringSchedule != nil:
		if len(state.RecurringSchedule.Recurrences) == 0 {
			diags.AddError("Must provide one or more recurrence definitions", "")
			break
		}
		rec := datadogV2.DowntimeScheduleRecurrencesCreateRequest{}
		if !state.RecurringSchedule.Timezone.IsNull() {
			rec.SetTimezone(state.RecurringSchedule.Timezone.ValueString())
		}
		var list []datadogV2.DowntimeScheduleRecurrenceCreateUpdateRequest
		for _, item := range state.RecurringSchedule.Recurrences {
			one := datadogV2.NewDowntimeScheduleRecurrenceCreateUpdateRequest(item.Start.ValueString(), item.Rrule.ValueString())
			one.SetDuration(item.Duration.ValueString())
			one.SetRrule(item.Rrule.ValueString())
			if !item.Start.IsUnknown() {
				one.SetStart(item.Start.ValueString())
			}
			list = append(list, *one)
		}
		rec.SetRecurrences(list)
		sched.DowntimeScheduleRecurrencesCreateRequest = &rec
	case state.OneTimeSchedule != nil:
		once := datadogV2.DowntimeScheduleOneTimeCreateUpdateRequest{}
		if !state.OneTimeSchedule.End.IsUnknown() {
			if state.OneTimeSchedule.End.IsNull() {
				once.SetEndNil()
			} else {
				once.SetEnd(parseUTC(state.OneTimeSchedule.End.ValueString()))
			}
		}
		if !state.OneTimeSchedule.Start.IsUnknown() {
			if state.OneTimeSchedule.Start.IsNull() {
				once.SetStartNil()
			} else {
				once.SetStart(parseUTC(state.OneTimeSchedule.Start.ValueString()))
			}
		}
		sched.DowntimeScheduleOneTimeCreateUpdateRequest = &once
	default:
		diags.AddError("one_time_schedule or recurring_schedule must be set", "")
	}
	attrs.Schedule = &sched

	req := datadogV2.NewDowntimeCreateRequestWithDefaults()
	req.Data = *datadogV2.NewDowntimeCreateRequestDataWithDefaults()
	req.Data.SetAttributes(*attrs)
	return req, diags
}

// updateBody: upstream buildDowntimeScheduleUpdateRequestBody (unset fields are sent as null/false).
func updateBody(ctx context.Context, state *downtimeModel) (*datadogV2.DowntimeUpdateRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	attrs := datadogV2.NewDowntimeUpdateRequestAttributesWithDefaults()
	if !state.DisplayTimezone.IsNull() {
		attrs.SetDisplayTimezone(state.DisplayTimezone.ValueString())
	} else {
		attrs.SetDisplayTimezoneNil()
	}
	if !state.Message.IsNull() {
		attrs.SetMessage(state.Message.ValueString())
	} else {
		attrs.SetMessageNil()
	}
	attrs.SetMuteFirstRecoveryNotification(!state.MuteFirstRecoveryNotification.IsNull() && state.MuteFirstRecoveryNotification.ValueBool())
	if !state.Scope.IsNull() {
		attrs.SetScope(state.Scope.ValueString())
	}
	states, actions, d := endStates(ctx, state)
	diags.Append(d...)
	if states != nil {
		attrs.SetNotifyEndStates(*states)
	}
	if actions != nil {
		attrs.SetNotifyEndTypes(*actions)
	}
	id := identifier(ctx, state, &diags)
	attrs.MonitorIdentifier = &id

	var sched datadogV2.DowntimeScheduleUpdateRequest
	switch {
	case state.RecurringSchedule != nil:
		if len(state.RecurringSchedule.Recurrences) == 0 {
			diags.AddError("Must provide one or more recurrence definitions", "")
			break
		}
		rec := datadogV2.DowntimeScheduleRecurrencesUpdateRequest{}
		if !state.RecurringSchedule.Timezone.IsNull() {
			rec.SetTimezone(state.RecurringSchedule.Timezone.ValueString())
		}
		var list []datadogV2.DowntimeScheduleRecurrenceCreateUpdateRequest
		for _, item := range state.RecurringSchedule.Recurrences {
			one := datadogV2.NewDowntimeScheduleRecurrenceCreateUpdateRequest(item.Start.ValueString(), item.Rrule.ValueString())
			one.SetDuration(item.Duration.ValueString())
			one.SetRrule(item.Rrule.ValueString())
			if item.Start.IsUnknown() || item.Start.IsNull() {
				one.SetStartNil()
			} else {
				one.SetStart(item.Start.ValueString())
			}
			list = append(list, *one)
		}
		rec.SetRecurrences(list)
		sched.DowntimeScheduleRecurrencesUpdateRequest = &rec
	case state.OneTimeSchedule != nil:
		once := datadogV2.DowntimeScheduleOneTimeCreateUpdateRequest{}
		if state.OneTimeSchedule.End.IsUnknown() || state.OneTimeSchedule.End.IsNull() {
			once.SetEndNil()
		} else {
			once.SetEnd(parseUTC(state.OneTimeSchedule.End.ValueString()))
		}
		if state.OneTimeSchedule.Start.IsUnknown() || state.OneTimeSchedule.Start.IsNull() {
			once.SetStartNil()
		} else {
			once.SetStart(parseUTC(state.OneTimeSchedule.Start.ValueString()))
		}
		sched.DowntimeScheduleOneTimeCreateUpdateRequest = &once
	default:
		diags.AddError("one_time_schedule or recurring_schedule must be set", "")
	}
	attrs.Schedule = &sched

	req := datadogV2.NewDowntimeUpdateRequestWithDefaults()
	req.Data = *datadogV2.NewDowntimeUpdateRequestDataWithDefaults()
	req.Data.SetAttributes(*attrs)
	return req, diags
}

// errorDiag: upstream utils.FrameworkErrorDiag (the API's error body joins the client's message).
func errorDiag(err error, msg string) diag.ErrorDiagnostic {
	var summary string
	switch v := err.(type) {
	case datadog.GenericOpenAPIError:
		summary = fmt.Sprintf("%v: %s", err, v.Body())
	case *url.Error:
		summary = fmt.Sprintf("url.Error: %s ", v.Error())
	default:
		summary = err.Error()
	}
	return diag.NewErrorDiagnostic(msg, summary)
}

// timeFormat: upstream validators.TimeFormatValidator.
type timeFormat string

func (f timeFormat) Description(context.Context) string {
	return fmt.Sprintf("field is standardized to %v format", string(f))
}

func (f timeFormat) MarkdownDescription(ctx context.Context) string { return f.Description(ctx) }

func (f timeFormat) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := time.Parse(string(f), req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddError(
			fmt.Sprintf("property \"%s\" must be of the format %v", req.Path.String(), string(f)),
			fmt.Sprintf("was %v", req.ConfigValue.ValueString()),
		)
	}
}

// removedBlockIsNull: upstream planmodifiers.RemoveBlockModifier (a block absent from the configuration
// is planned null, working around hashicorp/terraform#32460).
type removedBlockIsNull struct{}

func (removedBlockIsNull) Description(context.Context) string { return "Set removed block to null." }

func (m removedBlockIsNull) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (removedBlockIsNull) PlanModifyObject(_ context.Context, req planmodifier.ObjectRequest, resp *planmodifier.ObjectResponse) {
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.ConfigValue
	}
}
