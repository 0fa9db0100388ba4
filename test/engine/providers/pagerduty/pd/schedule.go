// Engine tier: pagerduty_schedule of the transcribed Terraform PagerDuty provider.
//
// Transcribed from PagerDuty/terraform-provider-pagerduty v2.4.0 (commit 052af92b8d44)
// pagerduty/resource_pagerduty_schedule.go: the schema (types, Required/Optional/Computed, Default,
// MinItems, ValidateFunc, DiffSuppressFunc), CustomizeDiff, and CRUD making the same calls
// (POST/GET/PUT/DELETE /schedules) with the same bodies and the same Read flattening: ended layers are
// dropped, the API's layer order is reversed, Update ends a layer whose id left the configuration.
// Real: the plugin SDK (schema, diff, resource.Retry) and the Pulumi bridge around it.
// Why: the provider module is not served by the Go module proxy this project can reach.
package pd

import (
	"context"
	"fmt"
	"log"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/resource"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

func resourcePagerDutySchedule() *schema.Resource {
	return &schema.Resource{
		Create: resourcePagerDutyScheduleCreate,
		Read:   resourcePagerDutyScheduleRead,
		Update: resourcePagerDutyScheduleUpdate,
		Delete: resourcePagerDutyScheduleDelete,
		CustomizeDiff: func(ctx context.Context, diff *schema.ResourceDiff, i interface{}) error {
			ln := diff.Get("layer.#").(int)
			for li := 0; li <= ln; li++ {
				rn := diff.Get(fmt.Sprintf("layer.%d.restriction.#", li)).(int)
				for ri := 0; ri <= rn; ri++ {
					t := diff.Get(fmt.Sprintf("layer.%d.restriction.%d.type", li, ri)).(string)
					if t == "daily_restriction" && diff.Get(fmt.Sprintf("layer.%d.restriction.%d.start_day_of_week", li, ri)).(int) != 0 {
						return fmt.Errorf("start_day_of_week must only be set for a weekly_restriction schedule restriction type")
					}
					ds := diff.Get(fmt.Sprintf("layer.%d.restriction.%d.duration_seconds", li, ri)).(int)
					if t == "daily_restriction" && ds >= 3600*24 {
						return fmt.Errorf("duration_seconds for a daily_restriction schedule restriction type must be shorter than a day")
					}
				}
			}
			return nil
		},
		Importer: &schema.ResourceImporter{State: schema.ImportStatePassthrough},
		Schema: map[string]*schema.Schema{
			"name": {
				Type:     schema.TypeString,
				Optional: true,
			},
			"time_zone": {
				Type:         schema.TypeString,
				Required:     true,
				ValidateFunc: validateTimeZone,
			},
			"overflow": {
				Type:     schema.TypeBool,
				Optional: true,
			},
			"description": {
				Type:     schema.TypeString,
				Optional: true,
				Default:  "Managed by Terraform",
			},
			"layer": {
				Type:     schema.TypeList,
				Required: true,
				Elem: &schema.Resource{
					Schema: map[string]*schema.Schema{
						"id": {
							Type:     schema.TypeString,
							Computed: true,
						},
						"name": {
							Type:     schema.TypeString,
							Optional: true,
							Computed: true,
						},
						"start": {
							Type:             schema.TypeString,
							Required:         true,
							ValidateFunc:     validateRFC3339,
							DiffSuppressFunc: suppressScheduleLayerStartDiff,
						},
						"end": {
							Type:             schema.TypeString,
							Optional:         true,
							ValidateFunc:     validateRFC3339,
							DiffSuppressFunc: suppressRFC3339Diff,
						},
						"rotation_virtual_start": {
							Type:             schema.TypeString,
							Required:         true,
							ValidateFunc:     validateRFC3339,
							DiffSuppressFunc: suppressRFC3339Diff,
						},
						"rotation_turn_length_seconds": {
							Type:         schema.TypeInt,
							Required:     true,
							ValidateFunc: validation.IntBetween(3600, 365*24*3600),
						},
						"users": {
							Type:     schema.TypeList,
							Required: true,
							MinItems: 1,
							Elem:     &schema.Schema{Type: schema.TypeString},
						},
						"restriction": {
							Optional: true,
							Type:     schema.TypeList,
							Elem: &schema.Resource{
								Schema: map[string]*schema.Schema{
									"type": {
										Type:         schema.TypeString,
										Required:     true,
										ValidateFunc: validateValueFunc([]string{"daily_restriction", "weekly_restriction"}),
									},
									"start_time_of_day": {
										Type:         schema.TypeString,
										Required:     true,
										ValidateFunc: validation.StringMatch(regexp.MustCompile(`([0-1][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]`), "must be of 00:00:00 format"),
									},
									"start_day_of_week": {
										Type:         schema.TypeInt,
										Optional:     true,
										ValidateFunc: validation.IntBetween(1, 7),
									},
									"duration_seconds": {
										Type:         schema.TypeInt,
										Required:     true,
										ValidateFunc: validation.IntBetween(1, 7*24*3600-1),
									},
								},
							},
						},
					},
				},
			},
			"teams": {
				Type:     schema.TypeList,
				Optional: true,
				Elem:     &schema.Schema{Type: schema.TypeString},
			},
		},
	}
}

func buildScheduleStruct(d *schema.ResourceData) (*Schedule, error) {
	layers, err := expandScheduleLayers(d.Get("layer"))
	if err != nil {
		return nil, err
	}
	s := &Schedule{
		Name:           d.Get("name").(string),
		TimeZone:       d.Get("time_zone").(string),
		ScheduleLayers: layers,
	}
	if attr, ok := d.GetOk("description"); ok {
		s.Description = attr.(string)
	}
	if attr, ok := d.GetOk("teams"); ok {
		s.Teams = expandTeams(attr.([]interface{}))
	}
	return s, nil
}

func resourcePagerDutyScheduleCreate(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	s, err := buildScheduleStruct(d)
	if err != nil {
		return err
	}
	overflow := false
	if v, ok := d.GetOk("overflow"); ok {
		overflow = v.(bool)
	}
	log.Printf("[INFO] Creating PagerDuty schedule: %s", s.Name)
	s, err = client.CreateSchedule(s, overflow)
	if err != nil {
		return err
	}
	d.SetId(s.ID)
	return resourcePagerDutyScheduleRead(d, meta)
}

// Read retries every error for 30 s, a 404 too: v2.4.0 has no not-found handling for schedules, so a
// schedule deleted outside Pulumi fails a refresh rather than dropping from the state.
func resourcePagerDutyScheduleRead(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	log.Printf("[INFO] Reading PagerDuty schedule: %s", d.Id())
	retryErr := resource.Retry(30*time.Second, func() *resource.RetryError {
		s, err := client.GetSchedule(d.Id())
		if err != nil {
			time.Sleep(2 * time.Second)
			return resource.RetryableError(err)
		}
		if s != nil {
			d.Set("name", s.Name)
			d.Set("time_zone", s.TimeZone)
			d.Set("description", s.Description)
			layers, err := flattenScheduleLayers(s.ScheduleLayers)
			if err != nil {
				return resource.NonRetryableError(err)
			}
			if err := d.Set("layer", layers); err != nil {
				return resource.NonRetryableError(err)
			}
			if err := d.Set("teams", flattenTeams(s.Teams)); err != nil {
				return resource.NonRetryableError(fmt.Errorf("error setting teams: %s", err))
			}
		}
		return nil
	})
	if retryErr != nil {
		time.Sleep(2 * time.Second)
		return retryErr
	}
	return nil
}

// Update matches layers by id: a layer whose id is no longer in the configuration is sent again
// with end = now (layers can't be deleted, only ended). Ids come from the prior state by position,
// so a layer list that shifted keeps the old ids on new windows (what the bridge passes is the
// state's `layer.N.id` at the same index).
func resourcePagerDutyScheduleUpdate(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	s, err := buildScheduleStruct(d)
	if err != nil {
		return err
	}
	overflow := false
	if v, ok := d.GetOk("overflow"); ok {
		overflow = v.(bool)
	}
	if d.HasChange("layer") {
		oraw, nraw := d.GetChange("layer")
		osl, err := expandScheduleLayers(oraw.([]interface{}))
		if err != nil {
			return err
		}
		nsl, err := expandScheduleLayers(nraw.([]interface{}))
		if err != nil {
			return err
		}
		for _, o := range osl {
			found := false
			for _, n := range nsl {
				if o.ID == n.ID {
					found = true
				}
			}
			if !found {
				end, err := timeToUTC(time.Now().Format(time.RFC3339))
				if err != nil {
					return err
				}
				// Go's time.String() form ("2006-01-02 15:04:05 +0000 UTC"), as upstream sends it.
				endStr := end.String()
				o.End = &endStr
				s.ScheduleLayers = append(s.ScheduleLayers, o)
			}
		}
	}
	log.Printf("[INFO] Updating PagerDuty schedule: %s", d.Id())
	retryErr := resource.Retry(2*time.Minute, func() *resource.RetryError {
		if _, err := client.UpdateSchedule(d.Id(), s, overflow); err != nil {
			return resource.RetryableError(err)
		}
		return nil
	})
	if retryErr != nil {
		time.Sleep(2 * time.Second)
		return retryErr
	}
	return nil
}

func resourcePagerDutyScheduleDelete(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	log.Printf("[INFO] Deleting PagerDuty schedule: %s", d.Id())
	// A 400 (still used by an escalation policy) is retried for two minutes.
	retryErr := resource.Retry(2*time.Minute, func() *resource.RetryError {
		if err := client.DeleteSchedule(d.Id()); err != nil {
			if isErrCode(err, 400) {
				return resource.RetryableError(err)
			}
			return resource.NonRetryableError(err)
		}
		return nil
	})
	if retryErr != nil {
		time.Sleep(2 * time.Second)
		return retryErr
	}
	d.SetId("")
	return nil
}

func expandScheduleLayers(v interface{}) ([]*ScheduleLayer, error) {
	var layers []*ScheduleLayer
	for _, sl := range v.([]interface{}) {
		rsl := sl.(map[string]interface{})
		// Sent in UTC, in Go's time.String() form, as upstream does (its comment: the API shifted a
		// zoned rotation_virtual_start otherwise).
		rvs, err := timeToUTC(rsl["rotation_virtual_start"].(string))
		if err != nil {
			return nil, err
		}
		layer := &ScheduleLayer{
			ID:                        rsl["id"].(string),
			Name:                      rsl["name"].(string),
			Start:                     rsl["start"].(string),
			End:                       stringTypeToStringPtr(rsl["end"].(string)),
			RotationVirtualStart:      rvs.String(),
			RotationTurnLengthSeconds: rsl["rotation_turn_length_seconds"].(int),
		}
		for _, u := range rsl["users"].([]interface{}) {
			layer.Users = append(layer.Users, &UserReferenceWrapper{User: &resourceReference{ID: u.(string), Type: "user"}})
		}
		for _, r := range rsl["restriction"].([]interface{}) {
			rr := r.(map[string]interface{})
			layer.Restrictions = append(layer.Restrictions, &Restriction{
				Type:            rr["type"].(string),
				StartTimeOfDay:  rr["start_time_of_day"].(string),
				StartDayOfWeek:  rr["start_day_of_week"].(int),
				DurationSeconds: rr["duration_seconds"].(int),
			})
		}
		layers = append(layers, layer)
	}
	return layers, nil
}

// flattenScheduleLayers drops layers whose end is before time.Now() and reverses the rest: the API
// lists layers last-created first.
func flattenScheduleLayers(v []*ScheduleLayer) ([]map[string]interface{}, error) {
	var layers []map[string]interface{}
	for _, sl := range v {
		endStr := stringPtrToStringType(sl.End)
		if endStr != "" {
			end, err := timeToUTC(endStr)
			if err != nil {
				return nil, err
			}
			if time.Now().UTC().After(end) {
				continue
			}
		}
		layer := map[string]interface{}{
			"id":                           sl.ID,
			"name":                         sl.Name,
			"end":                          endStr,
			"start":                        sl.Start,
			"rotation_virtual_start":       sl.RotationVirtualStart,
			"rotation_turn_length_seconds": sl.RotationTurnLengthSeconds,
		}
		var users []string
		for _, u := range sl.Users {
			users = append(users, u.User.ID)
		}
		layer["users"] = users
		var restrictions []map[string]interface{}
		for _, r := range sl.Restrictions {
			restriction := map[string]interface{}{
				"duration_seconds":  r.DurationSeconds,
				"start_time_of_day": r.StartTimeOfDay,
				"type":              r.Type,
			}
			if r.StartDayOfWeek > 0 {
				restriction["start_day_of_week"] = r.StartDayOfWeek
			}
			restrictions = append(restrictions, restriction)
		}
		layer["restriction"] = restrictions
		layers = append(layers, layer)
	}
	reversed := make([]map[string]interface{}, 0, len(layers))
	for i := len(layers) - 1; i >= 0; i-- {
		reversed = append(reversed, layers[i])
	}
	return reversed, nil
}
