// Engine tier: pagerduty_service_integration of the transcribed Terraform PagerDuty provider.
//
// Transcribed from PagerDuty/terraform-provider-pagerduty v2.4.0 (commit 052af92b8d44)
// pagerduty/resource_pagerduty_service_integration.go: schema (integration_key Optional+Computed and
// NOT Sensitive; service/type/vendor ForceNew; type and vendor ConflictsWith each other; the e-mail
// parser and filter blocks), CustomizeDiff, and CRUD with the same calls
// (POST/GET/PUT/DELETE /services/{id}/integrations[/{id}]), bodies, retries and Read flattening.
// Real: the plugin SDK and the Pulumi bridge around it.
// Why: the provider module is not served by the Go module proxy this project can reach.
package pd

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/resource"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

const errEmailIntegrationMustHaveEmail = "integration_email attribute must be set for an integration type generic_email_inbound_integration"

func emailPartSchema(parts ...string) *schema.Schema {
	return &schema.Schema{Type: schema.TypeString, Required: true, ValidateFunc: validateValueFunc(parts)}
}

func resourcePagerDutyServiceIntegration() *schema.Resource {
	modes := []string{"always", "match", "no-match"}
	return &schema.Resource{
		Create: resourcePagerDutyServiceIntegrationCreate,
		Read:   resourcePagerDutyServiceIntegrationRead,
		Update: resourcePagerDutyServiceIntegrationUpdate,
		Delete: resourcePagerDutyServiceIntegrationDelete,
		CustomizeDiff: func(ctx context.Context, diff *schema.ResourceDiff, i interface{}) error {
			t := diff.Get("type").(string)
			if t == "generic_email_inbound_integration" && diff.Get("integration_email").(string) == "" && diff.NewValueKnown("integration_email") {
				return errors.New(errEmailIntegrationMustHaveEmail)
			}
			return nil
		},
		Importer: &schema.ResourceImporter{State: resourcePagerDutyServiceIntegrationImport},
		Schema: map[string]*schema.Schema{
			"name": {
				Type:     schema.TypeString,
				Optional: true,
			},
			"service": {
				Type:     schema.TypeString,
				Required: true,
				ForceNew: true,
			},
			"type": {
				Type:          schema.TypeString,
				Optional:      true,
				ForceNew:      true,
				Computed:      true,
				ConflictsWith: []string{"vendor"},
				ValidateFunc: validateValueFunc([]string{
					"aws_cloudwatch_inbound_integration",
					"cloudkick_inbound_integration",
					"event_transformer_api_inbound_integration",
					"events_api_v2_inbound_integration",
					"generic_email_inbound_integration",
					"generic_events_api_inbound_integration",
					"keynote_inbound_integration",
					"nagios_inbound_integration",
					"pingdom_inbound_integration",
					"sql_monitor_inbound_integration",
				}),
			},
			"vendor": {
				Type:          schema.TypeString,
				ForceNew:      true,
				Optional:      true,
				ConflictsWith: []string{"type"},
				Computed:      true,
			},
			"integration_key": {
				Type:     schema.TypeString,
				Optional: true,
				Computed: true,
			},
			"integration_email": {
				Type:     schema.TypeString,
				Optional: true,
				Computed: true,
			},
			"html_url": {
				Type:     schema.TypeString,
				Computed: true,
			},
			"email_incident_creation": {
				Type:     schema.TypeString,
				Optional: true,
				Computed: true,
			},
			"email_filter_mode": {
				Type:     schema.TypeString,
				Optional: true,
				Computed: true,
			},
			"email_parsing_fallback": {
				Type:     schema.TypeString,
				Optional: true,
				Computed: true,
			},
			"email_parser": {
				Type:     schema.TypeList,
				Optional: true,
				ForceNew: false,
				Elem: &schema.Resource{
					Schema: map[string]*schema.Schema{
						"action": emailPartSchema("resolve", "trigger"),
						"id": {
							Type:     schema.TypeInt,
							Computed: true,
						},
						"match_predicate": {
							Type:     schema.TypeList,
							Required: true,
							ForceNew: false,
							MaxItems: 1,
							MinItems: 1,
							Elem: &schema.Resource{
								Schema: map[string]*schema.Schema{
									"predicate": {
										Type:     schema.TypeList,
										Optional: true,
										ForceNew: false,
										Elem: &schema.Resource{
											Schema: map[string]*schema.Schema{
												"matcher": {Type: schema.TypeString, Optional: true},
												"part": {
													Type:         schema.TypeString,
													Optional:     true,
													ValidateFunc: validateValueFunc([]string{"body", "from_addresses", "subject"}),
												},
												"predicate": {
													Type:     schema.TypeList,
													Optional: true,
													ForceNew: false,
													Elem: &schema.Resource{
														Schema: map[string]*schema.Schema{
															"matcher": {Type: schema.TypeString, Required: true},
															"part":    emailPartSchema("body", "from_addresses", "subject"),
															"type":    emailPartSchema("contains", "exactly", "regex"),
														},
													},
												},
												"type": emailPartSchema("contains", "exactly", "not", "regex"),
											},
										},
									},
									"type": emailPartSchema("all", "any"),
								},
							},
						},
						"value_extractor": {
							Type:     schema.TypeList,
							Optional: true,
							ForceNew: false,
							Elem: &schema.Resource{
								Schema: map[string]*schema.Schema{
									"ends_before":  {Type: schema.TypeString, Optional: true},
									"part":         emailPartSchema("body", "subject"),
									"regex":        {Type: schema.TypeString, Optional: true},
									"starts_after": {Type: schema.TypeString, Optional: true},
									"type":         emailPartSchema("between", "entire", "regex"),
									"value_name":   {Type: schema.TypeString, Required: true},
								},
							},
						},
					},
				},
			},
			"email_filter": {
				Type:     schema.TypeList,
				Optional: true,
				ForceNew: true,
				Elem: &schema.Resource{
					Schema: map[string]*schema.Schema{
						"id":               {Type: schema.TypeString, Computed: true},
						"subject_mode":     {Type: schema.TypeString, Optional: true, ValidateFunc: validateValueFunc(modes)},
						"subject_regex":    {Type: schema.TypeString, Optional: true},
						"body_mode":        {Type: schema.TypeString, Optional: true, ValidateFunc: validateValueFunc(modes)},
						"body_regex":       {Type: schema.TypeString, Optional: true},
						"from_email_mode":  {Type: schema.TypeString, Optional: true, ValidateFunc: validateValueFunc(modes)},
						"from_email_regex": {Type: schema.TypeString, Optional: true},
					},
				},
			},
		},
	}
}

func buildServiceIntegrationStruct(d *schema.ResourceData) (*Integration, error) {
	i := &Integration{
		Name:    d.Get("name").(string),
		Type:    "service_integration",
		Service: &resourceReference{Type: "service", ID: d.Get("service").(string)},
	}
	if attr, ok := d.GetOk("integration_key"); ok {
		i.IntegrationKey = attr.(string)
	}
	if attr, ok := d.GetOk("integration_email"); ok {
		i.IntegrationEmail = attr.(string)
	}
	if attr, ok := d.GetOk("type"); ok {
		i.Type = attr.(string)
	}
	if attr, ok := d.GetOk("vendor"); ok {
		i.Vendor = &resourceReference{ID: attr.(string), Type: "vendor"}
	}
	if attr, ok := d.GetOk("email_incident_creation"); ok {
		i.EmailIncidentCreation = attr.(string)
	}
	if attr, ok := d.GetOk("email_filter_mode"); ok {
		i.EmailFilterMode = attr.(string)
	}
	if attr, ok := d.GetOk("email_parsing_fallback"); ok {
		i.EmailParsingFallback = attr.(string)
	}
	if attr, ok := d.GetOk("email_parser"); ok {
		i.EmailParsers = expandEmailParsers(attr)
	}
	if attr, ok := d.GetOk("email_filter"); ok {
		i.EmailFilters = expandEmailFilters(attr)
	}
	if i.Type == "generic_email_inbound_integration" && i.IntegrationEmail == "" {
		return nil, errors.New(errEmailIntegrationMustHaveEmail)
	}
	return i, nil
}

func expandEmailParsers(v interface{}) []*EmailParser {
	var parsers []*EmailParser
	for _, ep := range v.([]interface{}) {
		rep := ep.(map[string]interface{})
		id := rep["id"].(int)
		parser := &EmailParser{ID: &id, Action: rep["action"].(string)}
		mp := rep["match_predicate"].([]interface{})[0].(map[string]interface{})
		match := &MatchPredicate{Type: mp["type"].(string)}
		for _, p := range mp["predicate"].([]interface{}) {
			rp := p.(map[string]interface{})
			pred := &Predicate{Type: rp["type"].(string)}
			if pred.Type == "not" {
				inner := rp["predicate"].([]interface{})[0].(map[string]interface{})
				pred.Predicates = append(pred.Predicates, &Predicate{
					Type:    inner["type"].(string),
					Part:    inner["part"].(string),
					Matcher: inner["matcher"].(string),
				})
			} else {
				pred.Part = rp["part"].(string)
				pred.Matcher = rp["matcher"].(string)
			}
			match.Predicates = append(match.Predicates, pred)
		}
		parser.MatchPredicate = match
		if rep["value_extractor"] != nil {
			for _, ve := range rep["value_extractor"].([]interface{}) {
				rve := ve.(map[string]interface{})
				ex := &ValueExtractor{Type: rve["type"].(string), ValueName: rve["value_name"].(string), Part: rve["part"].(string)}
				if ex.Type == "regex" {
					ex.Regex = rve["regex"].(string)
				} else {
					ex.StartsAfter = rve["starts_after"].(string)
					ex.EndsBefore = rve["ends_before"].(string)
				}
				parser.ValueExtractors = append(parser.ValueExtractors, ex)
			}
		}
		parsers = append(parsers, parser)
	}
	return parsers
}

func expandEmailFilters(v interface{}) []*EmailFilter {
	var filters []*EmailFilter
	for _, ef := range v.([]interface{}) {
		r := ef.(map[string]interface{})
		filters = append(filters, &EmailFilter{
			ID:             r["id"].(string),
			SubjectMode:    r["subject_mode"].(string),
			SubjectRegex:   r["subject_regex"].(string),
			BodyMode:       r["body_mode"].(string),
			BodyRegex:      r["body_regex"].(string),
			FromEmailMode:  r["from_email_mode"].(string),
			FromEmailRegex: r["from_email_regex"].(string),
		})
	}
	return filters
}

func flattenEmailFilters(v []*EmailFilter) []map[string]interface{} {
	var filters []map[string]interface{}
	for _, ef := range v {
		filters = append(filters, map[string]interface{}{
			"id":               ef.ID,
			"subject_mode":     ef.SubjectMode,
			"subject_regex":    ef.SubjectRegex,
			"body_mode":        ef.BodyMode,
			"body_regex":       ef.BodyRegex,
			"from_email_mode":  ef.FromEmailMode,
			"from_email_regex": ef.FromEmailRegex,
		})
	}
	return filters
}

func flattenEmailParsers(v []*EmailParser) []map[string]interface{} {
	var parsers []map[string]interface{}
	for _, ep := range v {
		parser := map[string]interface{}{"id": ep.ID, "action": ep.Action}
		match := map[string]interface{}{"type": ep.MatchPredicate.Type}
		var preds []map[string]interface{}
		for _, p := range ep.MatchPredicate.Predicates {
			pred := map[string]interface{}{"type": p.Type}
			if p.Type == "not" && len(p.Predicates) > 0 {
				pred["predicate"] = []map[string]interface{}{{
					"type":    p.Predicates[0].Type,
					"part":    p.Predicates[0].Part,
					"matcher": p.Predicates[0].Matcher,
				}}
			} else {
				pred["part"] = p.Part
				pred["matcher"] = p.Matcher
			}
			preds = append(preds, pred)
		}
		match["predicate"] = preds
		parser["match_predicate"] = []interface{}{match}
		var extractors []map[string]interface{}
		for _, ve := range ep.ValueExtractors {
			extractors = append(extractors, map[string]interface{}{
				"type":         ve.Type,
				"value_name":   ve.ValueName,
				"part":         ve.Part,
				"starts_after": ve.StartsAfter,
				"ends_before":  ve.EndsBefore,
			})
		}
		parser["value_extractor"] = extractors
		parsers = append(parsers, parser)
	}
	return parsers
}

func fetchPagerDutyServiceIntegration(d *schema.ResourceData, meta interface{}, errCallback func(error, *schema.ResourceData) error) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	service := d.Get("service").(string)
	return resource.Retry(2*time.Minute, func() *resource.RetryError {
		i, err := client.GetIntegration(service, d.Id())
		if err != nil {
			log.Printf("[WARN] Service integration read error")
			if errResp := errCallback(err, d); errResp != nil {
				time.Sleep(2 * time.Second)
				return resource.RetryableError(errResp)
			}
			return nil
		}
		// Only non-empty values are set, as upstream does: an empty key keeps the state's.
		set := func(k string, v interface{}) *resource.RetryError {
			if err := d.Set(k, v); err != nil {
				return resource.RetryableError(err)
			}
			return nil
		}
		if e := set("name", i.Name); e != nil {
			return e
		}
		if e := set("type", i.Type); e != nil {
			return e
		}
		if i.Service != nil {
			if e := set("service", i.Service.ID); e != nil {
				return e
			}
		}
		if i.Vendor != nil {
			if e := set("vendor", i.Vendor.ID); e != nil {
				return e
			}
		}
		for k, v := range map[string]string{
			"integration_key":         i.IntegrationKey,
			"integration_email":       i.IntegrationEmail,
			"email_incident_creation": i.EmailIncidentCreation,
			"email_filter_mode":       i.EmailFilterMode,
			"email_parsing_fallback":  i.EmailParsingFallback,
			"html_url":                i.HTMLURL,
		} {
			if v != "" {
				if e := set(k, v); e != nil {
					return e
				}
			}
		}
		if i.EmailFilters != nil {
			if e := set("email_filter", flattenEmailFilters(i.EmailFilters)); e != nil {
				return e
			}
		}
		if i.EmailParsers != nil {
			if e := set("email_parser", flattenEmailParsers(i.EmailParsers)); e != nil {
				return e
			}
		}
		return nil
	})
}

func resourcePagerDutyServiceIntegrationCreate(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	i, err := buildServiceIntegrationStruct(d)
	if err != nil {
		return err
	}
	log.Printf("[INFO] Creating PagerDuty service integration %s", i.Name)
	service := d.Get("service").(string)
	// A 400 is retried for a minute (upstream: the service may not be ready yet).
	retryErr := resource.Retry(1*time.Minute, func() *resource.RetryError {
		created, err := client.CreateIntegration(service, i)
		if err != nil {
			if isErrCode(err, 400) {
				time.Sleep(2 * time.Second)
				return resource.RetryableError(err)
			}
			return resource.NonRetryableError(err)
		} else if created != nil {
			d.SetId(created.ID)
		}
		return nil
	})
	if retryErr != nil {
		return retryErr
	}
	return fetchPagerDutyServiceIntegration(d, meta, genError)
}

func resourcePagerDutyServiceIntegrationRead(d *schema.ResourceData, meta interface{}) error {
	log.Printf("[INFO] Reading PagerDuty service integration %s", d.Id())
	return fetchPagerDutyServiceIntegration(d, meta, handleNotFoundError)
}

func resourcePagerDutyServiceIntegrationUpdate(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	i, err := buildServiceIntegrationStruct(d)
	if err != nil {
		return err
	}
	log.Printf("[INFO] Updating PagerDuty service integration %s", d.Id())
	_, err = client.UpdateIntegration(d.Get("service").(string), d.Id(), i)
	return err
}

func resourcePagerDutyServiceIntegrationDelete(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	log.Printf("[INFO] Removing PagerDuty service integration %s", d.Id())
	if err := client.DeleteIntegration(d.Get("service").(string), d.Id()); err != nil {
		return err
	}
	d.SetId("")
	return nil
}

func resourcePagerDutyServiceIntegrationImport(d *schema.ResourceData, meta interface{}) ([]*schema.ResourceData, error) {
	client, err := meta.(*Config).Client()
	if err != nil {
		return []*schema.ResourceData{}, err
	}
	ids := strings.Split(d.Id(), ".")
	if len(ids) != 2 {
		return []*schema.ResourceData{}, fmt.Errorf("Error importing pagerduty_service_integration. Expecting an importation ID formed as '<service_id>.<integration_id>'")
	}
	sid, id := ids[0], ids[1]
	if _, err := client.GetIntegration(sid, id); err != nil {
		return []*schema.ResourceData{}, err
	}
	d.SetId(id)
	d.Set("service", sid)
	return []*schema.ResourceData{d}, nil
}
