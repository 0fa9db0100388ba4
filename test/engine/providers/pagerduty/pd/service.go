// Engine tier: pagerduty_service of the transcribed Terraform PagerDuty provider.
//
// Transcribed from PagerDuty/terraform-provider-pagerduty v2.4.0 (commit 052af92b8d44)
// pagerduty/resource_pagerduty_service.go: schema (defaults alert_creation "create_incidents",
// auto_resolve_timeout "14400", acknowledgement_timeout "1800"; the deprecated alert_grouping fields
// and their ConflictsWith; incident_urgency_rule Optional+Computed MaxItems 1), CustomizeDiff, and CRUD
// with the same calls (POST/GET/PUT/DELETE /services), bodies (a timeout of "null" is sent as JSON
// null) and Read flattening (a null timeout reads back as the string "null").
// Real: the plugin SDK and the Pulumi bridge around it.
// Why: the provider module is not served by the Go module proxy this project can reach.
package pd

import (
	"context"
	"fmt"
	"log"
	"regexp"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/resource"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

func urgencyTypeSchema() *schema.Schema {
	return &schema.Schema{
		Type:     schema.TypeList,
		MaxItems: 1,
		MinItems: 1,
		Optional: true,
		Elem: &schema.Resource{
			Schema: map[string]*schema.Schema{
				"type":    {Type: schema.TypeString, Optional: true},
				"urgency": {Type: schema.TypeString, Optional: true},
			},
		},
	}
}

func resourcePagerDutyService() *schema.Resource {
	return &schema.Resource{
		Create: resourcePagerDutyServiceCreate,
		Read:   resourcePagerDutyServiceRead,
		Update: resourcePagerDutyServiceUpdate,
		Delete: resourcePagerDutyServiceDelete,
		CustomizeDiff: func(ctx context.Context, diff *schema.ResourceDiff, i interface{}) error {
			in := diff.Get("incident_urgency_rule.#").(int)
			for i := 0; i <= in; i++ {
				t := diff.Get(fmt.Sprintf("incident_urgency_rule.%d.type", i)).(string)
				if t == "use_support_hours" && diff.Get(fmt.Sprintf("incident_urgency_rule.%d.urgency", i)).(string) != "" {
					return fmt.Errorf("general urgency cannot be set for a use_support_hours incident urgency rule type")
				}
			}
			return nil
		},
		Importer: &schema.ResourceImporter{State: schema.ImportStatePassthrough},
		Schema: map[string]*schema.Schema{
			"name": {
				Type:         schema.TypeString,
				Required:     true,
				ValidateFunc: validation.StringDoesNotMatch(regexp.MustCompile(`^$|^[ ]+$|[/\\<>&]`), "Service name can't be blank or contain '\\', '/', '&', '<', '>' or non-printable characters. "),
			},
			"html_url": {
				Type:     schema.TypeString,
				Computed: true,
			},
			"description": {
				Type:     schema.TypeString,
				Optional: true,
				Default:  "Managed by Terraform",
			},
			"alert_creation": {
				Type:         schema.TypeString,
				Optional:     true,
				Default:      "create_incidents",
				ValidateFunc: validateValueFunc([]string{"create_alerts_and_incidents", "create_incidents"}),
			},
			"alert_grouping": {
				Type:          schema.TypeString,
				Computed:      true,
				Optional:      true,
				ValidateFunc:  validateValueFunc([]string{"time", "intelligent", "rules"}),
				Deprecated:    "Use `alert_grouping_parameters.type`",
				ConflictsWith: []string{"alert_grouping_parameters"},
			},
			"alert_grouping_timeout": {
				Type:          schema.TypeString,
				Optional:      true,
				Computed:      true,
				Deprecated:    "Use `alert_grouping_parameters.config.timeout`",
				ConflictsWith: []string{"alert_grouping_parameters"},
			},
			"alert_grouping_parameters": {
				Type:          schema.TypeList,
				Optional:      true,
				MaxItems:      1,
				ConflictsWith: []string{"alert_grouping", "alert_grouping_timeout"},
				Elem: &schema.Resource{
					Schema: map[string]*schema.Schema{
						"type": {
							Type:         schema.TypeString,
							Optional:     true,
							ValidateFunc: validateValueFunc([]string{"time", "intelligent", "content_based"}),
						},
						"config": {
							Type:     schema.TypeList,
							Optional: true,
							MaxItems: 1,
							Elem: &schema.Resource{
								Schema: map[string]*schema.Schema{
									"timeout": {Type: schema.TypeInt, Optional: true},
									"fields": {
										Type:     schema.TypeList,
										Optional: true,
										Elem:     &schema.Schema{Type: schema.TypeString},
									},
									"aggregate": {
										Type:         schema.TypeString,
										Optional:     true,
										ValidateFunc: validateValueFunc([]string{"all", "any"}),
									},
								},
							},
						},
					},
				},
			},
			"auto_resolve_timeout": {
				Type:     schema.TypeString,
				Optional: true,
				Default:  "14400",
			},
			"last_incident_timestamp": {
				Type:     schema.TypeString,
				Computed: true,
			},
			"created_at": {
				Type:     schema.TypeString,
				Computed: true,
			},
			"status": {
				Type:     schema.TypeString,
				Computed: true,
			},
			"acknowledgement_timeout": {
				Type:     schema.TypeString,
				Optional: true,
				Default:  "1800",
			},
			"escalation_policy": {
				Type:     schema.TypeString,
				Required: true,
			},
			"incident_urgency_rule": {
				Type:     schema.TypeList,
				Computed: true,
				Optional: true,
				MaxItems: 1,
				Elem: &schema.Resource{
					Schema: map[string]*schema.Schema{
						"type":                  {Type: schema.TypeString, Required: true},
						"urgency":               {Type: schema.TypeString, Optional: true},
						"during_support_hours":  urgencyTypeSchema(),
						"outside_support_hours": urgencyTypeSchema(),
					},
				},
			},
			"support_hours": {
				Type:     schema.TypeList,
				Optional: true,
				MaxItems: 1,
				MinItems: 1,
				ForceNew: false,
				Elem: &schema.Resource{
					Schema: map[string]*schema.Schema{
						"type":       {Type: schema.TypeString, Optional: true},
						"time_zone":  {Type: schema.TypeString, Optional: true, ValidateFunc: validateTimeZone},
						"start_time": {Type: schema.TypeString, Optional: true},
						"end_time":   {Type: schema.TypeString, Optional: true},
						"days_of_week": {
							Type:     schema.TypeList,
							Optional: true,
							MaxItems: 7,
							Elem:     &schema.Schema{Type: schema.TypeInt},
						},
					},
				},
			},
			"scheduled_actions": {
				Type:     schema.TypeList,
				Optional: true,
				ForceNew: false,
				Elem: &schema.Resource{
					Schema: map[string]*schema.Schema{
						"type":       {Type: schema.TypeString, Optional: true},
						"to_urgency": {Type: schema.TypeString, Optional: true},
						"at": {
							Type:     schema.TypeList,
							Optional: true,
							Elem: &schema.Resource{
								Schema: map[string]*schema.Schema{
									"type": {Type: schema.TypeString, Optional: true},
									"name": {Type: schema.TypeString, Optional: true},
								},
							},
						},
					},
				},
			},
			"type": {
				Type:     schema.TypeString,
				Computed: true,
			},
		},
	}
}

// timeoutField is the v2.4.0 handling of the string timeouts: "null" sends JSON null (no timeout),
// anything else must be an integer.
func timeoutField(d *schema.ResourceData, key string) (*int, error) {
	attr, ok := d.GetOk(key)
	if !ok || attr.(string) == "null" {
		return nil, nil
	}
	val, err := strconv.Atoi(attr.(string))
	if err != nil {
		return nil, err
	}
	return &val, nil
}

func buildServiceStruct(d *schema.ResourceData) (*Service, error) {
	s := Service{Name: d.Get("name").(string)}
	if attr, ok := d.GetOk("description"); ok {
		s.Description = attr.(string)
	}
	var err error
	if s.AutoResolveTimeout, err = timeoutField(d, "auto_resolve_timeout"); err != nil {
		return nil, err
	}
	if s.AcknowledgementTimeout, err = timeoutField(d, "acknowledgement_timeout"); err != nil {
		return nil, err
	}
	if attr, ok := d.GetOk("alert_creation"); ok {
		s.AlertCreation = attr.(string)
	}
	if attr, ok := d.GetOk("alert_grouping"); ok {
		ag := attr.(string)
		s.AlertGrouping = &ag
	}
	if attr, ok := d.GetOk("alert_grouping_parameters"); ok {
		s.AlertGroupingParameters = expandAlertGroupingParameters(attr)
	} else {
		s.AlertGroupingParameters = nil
	}
	if s.AlertGroupingTimeout, err = timeoutField(d, "alert_grouping_timeout"); err != nil {
		return nil, err
	}
	if attr, ok := d.GetOk("escalation_policy"); ok {
		s.EscalationPolicy = &resourceReference{ID: attr.(string), Type: "escalation_policy_reference"}
	}
	if attr, ok := d.GetOk("incident_urgency_rule"); ok {
		s.IncidentUrgencyRule = expandIncidentUrgencyRule(attr)
		if s.IncidentUrgencyRule.Type == "use_support_hours" {
			s.ScheduledActions = make([]*ScheduledAction, 1)
		}
	}
	if attr, ok := d.GetOk("scheduled_actions"); ok {
		s.ScheduledActions = expandScheduledActions(attr)
	}
	if attr, ok := d.GetOk("support_hours"); ok {
		s.SupportHours = expandSupportHours(attr)
	}
	return &s, nil
}

func fetchService(d *schema.ResourceData, meta interface{}, errCallback func(error, *schema.ResourceData) error) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	return resource.Retry(2*time.Minute, func() *resource.RetryError {
		s, err := client.GetService(d.Id())
		if err != nil {
			log.Printf("[WARN] Service read error")
			if errResp := errCallback(err, d); errResp != nil {
				time.Sleep(2 * time.Second)
				return resource.RetryableError(errResp)
			}
			return nil
		}
		if err := flattenService(d, s); err != nil {
			return resource.NonRetryableError(err)
		}
		return nil
	})
}

func resourcePagerDutyServiceCreate(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	s, err := buildServiceStruct(d)
	if err != nil {
		return err
	}
	log.Printf("[INFO] Creating PagerDuty service %s", s.Name)
	s, err = client.CreateService(s)
	if err != nil {
		return err
	}
	d.SetId(s.ID)
	return fetchService(d, meta, genError)
}

// Read drops a service that answers 404 from the state (handleNotFoundError).
func resourcePagerDutyServiceRead(d *schema.ResourceData, meta interface{}) error {
	log.Printf("[INFO] Reading PagerDuty service %s", d.Id())
	return fetchService(d, meta, handleNotFoundError)
}

func resourcePagerDutyServiceUpdate(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	s, err := buildServiceStruct(d)
	if err != nil {
		return err
	}
	log.Printf("[INFO] Updating PagerDuty service %s", d.Id())
	updated, err := client.UpdateService(d.Id(), s)
	if err != nil {
		return err
	}
	return flattenService(d, updated)
}

func resourcePagerDutyServiceDelete(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	log.Printf("[INFO] Deleting PagerDuty service %s", d.Id())
	if err := client.DeleteService(d.Id()); err != nil {
		return err
	}
	d.SetId("")
	time.Sleep(time.Second)
	return nil
}

func timeoutString(v *int) string {
	if v == nil {
		return "null"
	}
	return strconv.Itoa(*v)
}

func flattenService(d *schema.ResourceData, s *Service) error {
	d.Set("name", s.Name)
	d.Set("type", s.Type)
	d.Set("html_url", s.HTMLURL)
	d.Set("status", s.Status)
	d.Set("created_at", s.CreatedAt)
	d.Set("escalation_policy", s.EscalationPolicy.ID)
	d.Set("description", s.Description)
	d.Set("auto_resolve_timeout", timeoutString(s.AutoResolveTimeout))
	d.Set("last_incident_timestamp", s.LastIncidentTimestamp)
	d.Set("acknowledgement_timeout", timeoutString(s.AcknowledgementTimeout))
	d.Set("alert_creation", s.AlertCreation)
	if s.AlertGrouping != nil && *s.AlertGrouping != "" {
		d.Set("alert_grouping", *s.AlertGrouping)
	}
	d.Set("alert_grouping_timeout", timeoutString(s.AlertGroupingTimeout))
	if _, ok := d.GetOk("alert_grouping_parameters"); ok && s.AlertGroupingParameters != nil {
		if err := d.Set("alert_grouping_parameters", flattenAlertGroupingParameters(s.AlertGroupingParameters)); err != nil {
			return err
		}
	}
	if s.IncidentUrgencyRule != nil {
		if err := d.Set("incident_urgency_rule", flattenIncidentUrgencyRule(s.IncidentUrgencyRule)); err != nil {
			return err
		}
	}
	if s.SupportHours != nil {
		if err := d.Set("support_hours", flattenSupportHours(s.SupportHours)); err != nil {
			return err
		}
	}
	if s.ScheduledActions != nil {
		if err := d.Set("scheduled_actions", flattenScheduledActions(s.ScheduledActions)); err != nil {
			return err
		}
	}
	return nil
}

func expandAlertGroupingParameters(v interface{}) *AlertGroupingParameters {
	r := v.([]interface{})[0].(map[string]interface{})
	p := &AlertGroupingParameters{Config: &AlertGroupingConfig{}}
	if len(r["type"].(string)) > 0 {
		t := r["type"].(string)
		p.Type = &t
	}
	if val, ok := r["config"]; ok {
		p.Config = expandAlertGroupingConfig(val)
	}
	return p
}

func expandAlertGroupingConfig(v interface{}) *AlertGroupingConfig {
	c := &AlertGroupingConfig{}
	if len(v.([]interface{})) == 0 || v.([]interface{})[0] == nil {
		return nil
	}
	r := v.([]interface{})[0].(map[string]interface{})
	if val, ok := r["fields"]; ok {
		for _, f := range val.([]interface{}) {
			c.Fields = append(c.Fields, f.(string))
		}
	}
	if val, ok := r["aggregate"]; ok {
		agg := val.(string)
		c.Aggregate = &agg
	}
	if val, ok := r["timeout"]; ok {
		to := val.(int)
		c.Timeout = &to
	}
	return c
}

func flattenAlertGroupingParameters(v *AlertGroupingParameters) interface{} {
	p := map[string]interface{}{"type": "", "config": []map[string]interface{}{{"aggregate": nil, "fields": nil, "timeout": nil}}}
	if v.Type != nil {
		p["type"] = v.Type
	}
	if v.Config != nil {
		p["config"] = []interface{}{map[string]interface{}{
			"aggregate": v.Config.Aggregate,
			"fields":    v.Config.Fields,
			"timeout":   v.Config.Timeout,
		}}
	}
	return []interface{}{p}
}

func expandIncidentUrgencyRule(v interface{}) *IncidentUrgencyRule {
	r := v.([]interface{})[0].(map[string]interface{})
	rule := &IncidentUrgencyRule{Type: r["type"].(string)}
	if val, ok := r["urgency"]; ok {
		rule.Urgency = val.(string)
	}
	if val, ok := r["during_support_hours"]; ok && len(val.([]interface{})) > 0 {
		rule.DuringSupportHours = expandIncidentUrgencyType(val)
	}
	if val, ok := r["outside_support_hours"]; ok && len(val.([]interface{})) > 0 {
		rule.OutsideSupportHours = expandIncidentUrgencyType(val)
	}
	return rule
}

func flattenIncidentUrgencyRule(v *IncidentUrgencyRule) []interface{} {
	rule := map[string]interface{}{"type": v.Type, "urgency": v.Urgency}
	if v.DuringSupportHours != nil {
		rule["during_support_hours"] = flattenIncidentUrgencyType(v.DuringSupportHours)
	}
	if v.OutsideSupportHours != nil {
		rule["outside_support_hours"] = flattenIncidentUrgencyType(v.OutsideSupportHours)
	}
	return []interface{}{rule}
}

func expandIncidentUrgencyType(v interface{}) *IncidentUrgencyType {
	r := v.([]interface{})[0].(map[string]interface{})
	t := &IncidentUrgencyType{}
	if val, ok := r["type"]; ok {
		t.Type = val.(string)
	}
	if val, ok := r["urgency"]; ok {
		t.Urgency = val.(string)
	}
	return t
}

func flattenIncidentUrgencyType(v *IncidentUrgencyType) []interface{} {
	return []interface{}{map[string]interface{}{"type": v.Type, "urgency": v.Urgency}}
}

func expandSupportHours(v interface{}) *SupportHours {
	h := &SupportHours{}
	r := v.([]interface{})[0].(map[string]interface{})
	if val, ok := r["type"]; ok {
		h.Type = val.(string)
	}
	if val, ok := r["time_zone"]; ok {
		h.TimeZone = val.(string)
	}
	if val, ok := r["start_time"]; ok {
		h.StartTime = val.(string)
	}
	if val, ok := r["end_time"]; ok {
		h.EndTime = val.(string)
	}
	if val, ok := r["days_of_week"]; ok {
		var days []int
		for _, d := range val.([]interface{}) {
			days = append(days, d.(int))
		}
		h.DaysOfWeek = days
	}
	return h
}

func flattenSupportHours(v *SupportHours) []interface{} {
	h := map[string]interface{}{}
	if v.Type != "" {
		h["type"] = v.Type
	}
	if v.TimeZone != "" {
		h["time_zone"] = v.TimeZone
	}
	if v.StartTime != "" {
		h["start_time"] = v.StartTime
	}
	if v.EndTime != "" {
		h["end_time"] = v.EndTime
	}
	if len(v.DaysOfWeek) > 0 {
		h["days_of_week"] = v.DaysOfWeek
	}
	return []interface{}{h}
}

func expandScheduledActions(v interface{}) []*ScheduledAction {
	var actions []*ScheduledAction
	for _, sa := range v.([]interface{}) {
		r := sa.(map[string]interface{})
		at := r["at"].([]interface{})[0].(map[string]interface{})
		actions = append(actions, &ScheduledAction{
			Type:      r["type"].(string),
			ToUrgency: r["to_urgency"].(string),
			At:        &At{Type: at["type"].(string), Name: at["name"].(string)},
		})
	}
	return actions
}

func flattenScheduledActions(v []*ScheduledAction) []interface{} {
	var actions []interface{}
	for _, sa := range v {
		// A nil entry is what buildServiceStruct sends for use_support_hours; upstream would
		// dereference it here too, so it is kept as upstream has it.
		actions = append(actions, map[string]interface{}{
			"type":       sa.Type,
			"to_urgency": sa.ToUrgency,
			"at":         []interface{}{map[string]interface{}{"type": sa.At.Type, "name": sa.At.Name}},
		})
	}
	return actions
}
