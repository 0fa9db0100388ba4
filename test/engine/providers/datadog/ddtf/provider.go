// Package ddtf: see monitor_schema.go for what is real and what is transcribed.
//
// This file: the provider configuration, transcribed from datadog/provider.go (Provider,
// providerConfigure) at commit 701d55bc4. Every configuration key upstream declares is declared here
// with the same type, so a Pulumi program's provider block passes CheckConfig as it would; only the
// keys the engine tier uses act (api_key, app_key, api_url, validate, default_tags, ignore_tag_keys,
// http_client_retry_enabled); cloud-provider and bearer-token auth are declared but not implemented.
// Only the two resources pico-monitoring creates are registered.
package ddtf

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strconv"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// Configuration is what upstream calls ProviderConfiguration: the API client and its auth context.
type Configuration struct {
	Monitors      *datadogV1.MonitorsApi
	PagerDuty     *datadogV1.PagerDutyIntegrationApi
	Auth          context.Context
	DefaultTags   map[string]interface{}
	IgnoreTagKeys []string
}

func sensitive() *schema.Schema {
	return &schema.Schema{Type: schema.TypeString, Optional: true, Sensitive: true}
}

func trueFalse() *schema.Schema {
	return &schema.Schema{
		Type: schema.TypeString, Optional: true,
		ValidateFunc: validation.StringInSlice([]string{"true", "false"}, true),
	}
}

func positive(what string) *schema.Schema {
	return &schema.Schema{
		Type: schema.TypeInt, Optional: true,
		ValidateFunc: validation.IntAtLeast(1),
		Description:  what,
	}
}

// Provider returns the transcribed provider with datadog_monitor (the SDKv2 resource, which upstream
// registers unless TERRAFORM_MONITOR_FRAMEWORK_PROVIDER=true) and
// datadog_integration_pagerduty_service_object.
func Provider() *schema.Provider {
	return &schema.Provider{
		Schema: map[string]*schema.Schema{
			"api_key":                              sensitive(),
			"app_key":                              sensitive(),
			"bearer_token":                         sensitive(),
			"api_url":                              {Type: schema.TypeString, Optional: true},
			"validate":                             trueFalse(),
			"cloud_provider_type":                  {Type: schema.TypeString, Optional: true},
			"cloud_provider_region":                {Type: schema.TypeString, Optional: true},
			"org_uuid":                             {Type: schema.TypeString, Optional: true},
			"aws_access_key_id":                    sensitive(),
			"aws_secret_access_key":                sensitive(),
			"aws_session_token":                    sensitive(),
			"http_client_retry_enabled":            trueFalse(),
			"http_client_retry_timeout":            {Type: schema.TypeInt, Optional: true},
			"http_client_retry_backoff_multiplier": positive("Backoff multiplier must be greater than 0."),
			"http_client_retry_backoff_base":       positive("Backoff base must be greater than 0."),
			"http_client_retry_max_retries": {
				Type: schema.TypeInt, Optional: true, ValidateFunc: validation.IntBetween(1, 5),
			},
			// Not in provider.go at 701d55bc4 but in @pulumi/datadog 5.11.0's provider.d.ts ("The maximum
			// random delay added to each HTTP request retry. Defaults to 0 seconds."): declared so the
			// key is accepted; it has no effect here.
			"http_client_retry_jitter": {Type: schema.TypeInt, Optional: true},
			"default_tags": {
				Type: schema.TypeList, Optional: true, MaxItems: 1,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{
					"tags": {Type: schema.TypeMap, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
				}},
			},
			"ignore_tag_keys": {Type: schema.TypeSet, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
		},
		ResourcesMap: map[string]*schema.Resource{
			"datadog_monitor": resourceDatadogMonitor(),
			"datadog_integration_pagerduty_service_object": resourceDatadogIntegrationPagerdutySO(),
		},
		ConfigureContextFunc: providerConfigure,
	}
}

// Upstream utils.GetMultiEnvVar over APIKeyEnvVars, APPKeyEnvVars, APIUrlEnvVars.
func firstEnv(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

func providerConfigure(_ context.Context, d *schema.ResourceData) (interface{}, diag.Diagnostics) {
	apiKey := d.Get("api_key").(string)
	if apiKey == "" {
		apiKey = firstEnv("DD_API_KEY", "DATADOG_API_KEY")
	}
	appKey := d.Get("app_key").(string)
	if appKey == "" {
		appKey = firstEnv("DD_APP_KEY", "DATADOG_APP_KEY")
	}
	apiURL := d.Get("api_url").(string)
	if apiURL == "" {
		apiURL = firstEnv("DD_HOST", "DATADOG_HOST")
	}
	if d.Get("cloud_provider_type").(string) != "" || d.Get("bearer_token").(string) != "" {
		return nil, diag.Errorf("cloud_provider_type and bearer_token are not implemented by this engine-tier stand-in")
	}

	validate := true
	if v := d.Get("validate").(string); v != "" {
		validate, _ = strconv.ParseBool(v)
	}
	if validate && (apiKey == "" || appKey == "") {
		return nil, diag.FromErr(errors.New("api_key and app_key, bearer_token, or orgUUID must be set unless validate = false"))
	}

	auth := context.Background()
	if apiKey != "" || appKey != "" {
		auth = context.WithValue(auth, datadog.ContextAPIKeys, map[string]datadog.APIKey{
			"apiKeyAuth": {Key: apiKey},
			"appKeyAuth": {Key: appKey},
		})
	}

	config := datadog.NewConfiguration()
	config.RetryConfiguration.EnableRetry = true
	if v := d.Get("http_client_retry_enabled").(string); v != "" {
		config.RetryConfiguration.EnableRetry, _ = strconv.ParseBool(v)
	}
	if apiURL != "" {
		parsed, err := url.Parse(apiURL)
		if err != nil {
			return nil, diag.Errorf(`invalid API URL : %v`, err)
		}
		if parsed.Host == "" || parsed.Scheme == "" {
			return nil, diag.Errorf(`missing protocol or host : %v`, apiURL)
		}
		// Upstream: an api_url selects server index 1, "{protocol}://{name}".
		auth = context.WithValue(auth, datadog.ContextServerIndex, 1)
		auth = context.WithValue(auth, datadog.ContextServerVariables, map[string]string{
			"name":     parsed.Host,
			"protocol": parsed.Scheme,
		})
	}
	client := datadog.NewAPIClient(config)

	if validate {
		resp, _, err := datadogV1.NewAuthenticationApi(client).Validate(auth)
		if err != nil {
			return nil, diag.FromErr(err)
		}
		if valid, ok := resp.GetValidOk(); !ok || !*valid {
			return nil, diag.FromErr(errors.New(`Invalid or missing credentials provided to the Datadog Provider. Please confirm your API and APP keys are valid and are for the correct region, see https://www.terraform.io/docs/providers/datadog/ for more information on providing credentials for the Datadog Provider`))
		}
	}

	conf := &Configuration{
		Monitors:  datadogV1.NewMonitorsApi(client),
		PagerDuty: datadogV1.NewPagerDutyIntegrationApi(client),
		Auth:      auth,
	}
	if v, ok := d.GetOk("default_tags"); ok && len(v.([]interface{})) > 0 && v.([]interface{})[0] != nil {
		if tags, ok := v.([]interface{})[0].(map[string]interface{})["tags"]; ok {
			conf.DefaultTags = tags.(map[string]interface{})
		}
	}
	if v, ok := d.GetOk("ignore_tag_keys"); ok {
		conf.IgnoreTagKeys = setStrings(v.(*schema.Set))
	}
	return conf, nil
}
