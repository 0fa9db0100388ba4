// Engine tier: pagerduty_escalation_policy of the transcribed Terraform PagerDuty provider.
//
// Transcribed from PagerDuty/terraform-provider-pagerduty v2.4.0 (commit 052af92b8d44)
// pagerduty/resource_pagerduty_escalation_policy.go: schema (rule ids Computed, target type default
// "user_reference", num_loops 0..9, teams MaxItems 1) and CRUD with the same calls
// (POST/GET/PUT/DELETE /escalation_policies), bodies, retries and Read flattening.
// Real: the plugin SDK and the Pulumi bridge around it.
// Why: the provider module is not served by the Go module proxy this project can reach.
package pd

import (
	"fmt"
	"log"
	"time"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/resource"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

func resourcePagerDutyEscalationPolicy() *schema.Resource {
	return &schema.Resource{
		Create:   resourcePagerDutyEscalationPolicyCreate,
		Read:     resourcePagerDutyEscalationPolicyRead,
		Update:   resourcePagerDutyEscalationPolicyUpdate,
		Delete:   resourcePagerDutyEscalationPolicyDelete,
		Importer: &schema.ResourceImporter{State: schema.ImportStatePassthrough},
		Schema: map[string]*schema.Schema{
			"name": {
				Type:     schema.TypeString,
				Required: true,
			},
			"description": {
				Type:     schema.TypeString,
				Optional: true,
				Default:  "Managed by Terraform",
			},
			"num_loops": {
				Type:         schema.TypeInt,
				Optional:     true,
				ValidateFunc: validation.IntBetween(0, 9),
			},
			"teams": {
				Type:     schema.TypeList,
				Optional: true,
				Elem:     &schema.Schema{Type: schema.TypeString},
				MaxItems: 1,
			},
			"rule": {
				Type:     schema.TypeList,
				Required: true,
				Elem: &schema.Resource{
					Schema: map[string]*schema.Schema{
						"id": {
							Type:     schema.TypeString,
							Computed: true,
						},
						"escalation_delay_in_minutes": {
							Type:         schema.TypeInt,
							Required:     true,
							ValidateFunc: validation.IntAtLeast(1),
						},
						"target": {
							Type:     schema.TypeList,
							Required: true,
							Elem: &schema.Resource{
								Schema: map[string]*schema.Schema{
									"type": {
										Type:         schema.TypeString,
										Optional:     true,
										Default:      "user_reference",
										ValidateFunc: validateValueFunc([]string{"user_reference", "schedule_reference"}),
									},
									"id": {
										Type:     schema.TypeString,
										Required: true,
									},
								},
							},
						},
					},
				},
			},
		},
	}
}

func buildEscalationPolicyStruct(d *schema.ResourceData) *EscalationPolicy {
	p := &EscalationPolicy{
		Name:            d.Get("name").(string),
		EscalationRules: expandEscalationRules(d.Get("rule").([]interface{})),
	}
	if attr, ok := d.GetOk("description"); ok {
		p.Description = attr.(string)
	}
	loops := d.Get("num_loops").(int)
	p.NumLoops = &loops
	if attr, ok := d.GetOk("teams"); ok {
		p.Teams = expandTeams(attr.([]interface{}))
	}
	return p
}

func resourcePagerDutyEscalationPolicyCreate(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	p := buildEscalationPolicyStruct(d)
	log.Printf("[INFO] Creating PagerDuty escalation policy: %s", p.Name)
	return resource.Retry(5*time.Minute, func() *resource.RetryError {
		created, err := client.CreateEscalationPolicy(p)
		if err != nil {
			if isErrCode(err, 429) {
				// Upstream waits 30 s on a rate limit, as PagerDuty's rate-limiting guide recommends.
				time.Sleep(30 * time.Second)
				return resource.RetryableError(err)
			}
			return resource.NonRetryableError(err)
		}
		d.SetId(created.ID)
		if readErr := resourcePagerDutyEscalationPolicyRead(d, meta); readErr != nil {
			return resource.NonRetryableError(readErr)
		}
		return nil
	})
}

// Read retries every error (a 404 too) for five minutes, as v2.4.0 does.
func resourcePagerDutyEscalationPolicyRead(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	log.Printf("[INFO] Reading PagerDuty escalation policy: %s", d.Id())
	return resource.Retry(5*time.Minute, func() *resource.RetryError {
		p, err := client.GetEscalationPolicy(d.Id())
		if err != nil {
			time.Sleep(2 * time.Second)
			return resource.RetryableError(err)
		}
		d.Set("name", p.Name)
		d.Set("description", p.Description)
		d.Set("num_loops", p.NumLoops)
		if err := d.Set("teams", flattenTeams(p.Teams)); err != nil {
			return resource.NonRetryableError(fmt.Errorf("error setting teams: %s", err))
		}
		if err := d.Set("rule", flattenEscalationRules(p.EscalationRules)); err != nil {
			return resource.NonRetryableError(err)
		}
		return nil
	})
}

func resourcePagerDutyEscalationPolicyUpdate(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	p := buildEscalationPolicyStruct(d)
	log.Printf("[INFO] Updating PagerDuty escalation policy: %s", d.Id())
	retryErr := resource.Retry(5*time.Minute, func() *resource.RetryError {
		if _, err := client.UpdateEscalationPolicy(d.Id(), p); err != nil {
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

func resourcePagerDutyEscalationPolicyDelete(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	log.Printf("[INFO] Deleting PagerDuty escalation policy: %s", d.Id())
	// A 400 (still used by a service) is retried for 30 s.
	retryErr := resource.Retry(30*time.Second, func() *resource.RetryError {
		if err := client.DeleteEscalationPolicy(d.Id()); err != nil {
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
	// Upstream: "giving the API time to catchup".
	time.Sleep(time.Second)
	return nil
}

func expandEscalationRules(v interface{}) []*EscalationRule {
	var rules []*EscalationRule
	for _, er := range v.([]interface{}) {
		rer := er.(map[string]interface{})
		rule := &EscalationRule{EscalationDelayInMinutes: rer["escalation_delay_in_minutes"].(int)}
		for _, t := range rer["target"].([]interface{}) {
			rt := t.(map[string]interface{})
			rule.Targets = append(rule.Targets, &resourceReference{ID: rt["id"].(string), Type: rt["type"].(string)})
		}
		rules = append(rules, rule)
	}
	return rules
}

func flattenEscalationRules(v []*EscalationRule) []map[string]interface{} {
	var rules []map[string]interface{}
	for _, er := range v {
		rule := map[string]interface{}{
			"id":                          er.ID,
			"escalation_delay_in_minutes": er.EscalationDelayInMinutes,
		}
		var targets []map[string]interface{}
		for _, t := range er.Targets {
			targets = append(targets, map[string]interface{}{"id": t.ID, "type": t.Type})
		}
		rule["target"] = targets
		rules = append(rules, rule)
	}
	return rules
}
