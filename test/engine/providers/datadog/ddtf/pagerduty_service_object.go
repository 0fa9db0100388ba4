// Package ddtf: see monitor_schema.go for what is real and what is transcribed.
//
// This file: datadog_integration_pagerduty_service_object, transcribed from
// datadog/resource_datadog_integration_pagerduty_service_object.go at commit 701d55bc4: schema
// (service_name Required ForceNew, service_key Required Sensitive) and CRUD over
// /api/v1/integration/pagerduty/configuration/services[/{service_name}] through the api client.
package ddtf

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// Upstream: the API never returns service keys; Read puts this in state when it has none.
const maskedSecret = "*****"

// Upstream integrationPdMutex (resource_datadog_integration_pagerduty.go): the integration's
// configuration is one document, so writes are serialised.
var integrationPdMutex = sync.Mutex{}

func resourceDatadogIntegrationPagerdutySO() *schema.Resource {
	return &schema.Resource{
		CreateContext: resourceDatadogIntegrationPagerdutySOCreate,
		ReadContext:   resourceDatadogIntegrationPagerdutySORead,
		UpdateContext: resourceDatadogIntegrationPagerdutySOUpdate,
		DeleteContext: resourceDatadogIntegrationPagerdutySODelete,
		Importer:      &schema.ResourceImporter{StateContext: resourceDatadogIntegrationPagerdutySOImport},
		SchemaFunc: func() map[string]*schema.Schema {
			return map[string]*schema.Schema{
				"service_name": {Type: schema.TypeString, Required: true, ForceNew: true},
				"service_key":  {Type: schema.TypeString, Required: true, Sensitive: true},
			}
		},
	}
}

func resourceDatadogIntegrationPagerdutySOCreate(ctx context.Context, d *schema.ResourceData, meta interface{}) diag.Diagnostics {
	conf := meta.(*Configuration)
	integrationPdMutex.Lock()
	defer integrationPdMutex.Unlock()

	so := datadogV1.PagerDutyService{}
	if v, ok := d.GetOk("service_name"); ok {
		so.SetServiceName(v.(string))
	}
	if v, ok := d.GetOk("service_key"); ok {
		so.SetServiceKey(v.(string))
	}
	if _, httpresp, err := conf.PagerDuty.CreatePagerDutyIntegrationService(conf.Auth, so); err != nil {
		return translateClientErrorDiag(err, httpresp, "error creating PagerDuty integration service")
	}
	d.SetId(so.GetServiceName())
	return resourceDatadogIntegrationPagerdutySORead(ctx, d, meta)
}

func resourceDatadogIntegrationPagerdutySORead(_ context.Context, d *schema.ResourceData, meta interface{}) diag.Diagnostics {
	conf := meta.(*Configuration)
	so, httpresp, err := conf.PagerDuty.GetPagerDutyIntegrationService(conf.Auth, d.Id())
	if err != nil {
		if httpresp != nil && httpresp.StatusCode == 404 {
			d.SetId("")
			return nil
		}
		return translateClientErrorDiag(err, httpresp, "error getting PagerDuty integration service")
	}
	if err := checkForUnparsed(so); err != nil {
		return diag.FromErr(err)
	}
	_ = d.Set("service_name", so.GetServiceName())
	if _, ok := d.GetOk("service_key"); !ok {
		_ = d.Set("service_key", maskedSecret)
	}
	return nil
}

func resourceDatadogIntegrationPagerdutySOUpdate(ctx context.Context, d *schema.ResourceData, meta interface{}) diag.Diagnostics {
	conf := meta.(*Configuration)
	integrationPdMutex.Lock()
	defer integrationPdMutex.Unlock()

	key := datadogV1.PagerDutyServiceKey{}
	if v, ok := d.GetOk("service_key"); ok {
		key.SetServiceKey(v.(string))
	}
	if httpresp, err := conf.PagerDuty.UpdatePagerDutyIntegrationService(conf.Auth, d.Id(), key); err != nil {
		return translateClientErrorDiag(err, httpresp, "error updating PagerDuty integration service")
	}
	return resourceDatadogIntegrationPagerdutySORead(ctx, d, meta)
}

func resourceDatadogIntegrationPagerdutySODelete(_ context.Context, d *schema.ResourceData, meta interface{}) diag.Diagnostics {
	conf := meta.(*Configuration)
	integrationPdMutex.Lock()
	defer integrationPdMutex.Unlock()

	if httpresp, err := conf.PagerDuty.DeletePagerDutyIntegrationService(conf.Auth, d.Id()); err != nil {
		return translateClientErrorDiag(err, httpresp, "error deleting PagerDuty integration service")
	}
	return nil
}

func resourceDatadogIntegrationPagerdutySOImport(ctx context.Context, d *schema.ResourceData, meta interface{}) ([]*schema.ResourceData, error) {
	original := d.Id()
	if diags := resourceDatadogIntegrationPagerdutySORead(ctx, d, meta); diags != nil {
		return nil, fmt.Errorf("%s", diags[0].Summary)
	}
	if d.Id() == "" {
		return nil, fmt.Errorf("error importing pagerduty service object. Resource with id `%s` does not exist", original)
	}
	_ = d.Set("service_key", os.Getenv("SERVICE_KEY"))
	return []*schema.ResourceData{d}, nil
}
