// Engine tier: the Terraform PagerDuty provider, transcribed, for the real Pulumi bridge to wrap.
//
// Real: github.com/hashicorp/terraform-plugin-sdk/v2 (as the Pulumi fork the pinned provider built
// with) supplies schema, diff, validation and retry; the bridge in ../main.go is the real
// pulumi-terraform-bridge v3.20.0.
// Transcribed: provider schema and configure from PagerDuty/terraform-provider-pagerduty v2.4.0
// (commit 052af92b8d44) pagerduty/provider.go and pagerduty/config.go; @pulumi/pagerduty 3.4.0 was
// built from the fork github.com/pulumi/terraform-provider-pagerduty at 6a97d42457b2, which differs
// from v2.4.0 only in its module path and go.sum (checked with git diff). Only the resources and data
// sources the pico-monitoring program uses are registered.
// Why: neither provider module is served by the Go module proxy this project can reach.
package pd

import (
	"fmt"
	"log"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// Provider is pagerduty.Provider() of v2.4.0, cut down to what the program uses.
func Provider() *schema.Provider {
	p := &schema.Provider{
		Schema: map[string]*schema.Schema{
			"skip_credentials_validation": {
				Type:     schema.TypeBool,
				Optional: true,
				Default:  false,
			},
			"token": {
				Type:        schema.TypeString,
				Required:    true,
				DefaultFunc: schema.EnvDefaultFunc("PAGERDUTY_TOKEN", nil),
			},
			"user_token": {
				Type:        schema.TypeString,
				Optional:    true,
				DefaultFunc: schema.EnvDefaultFunc("PAGERDUTY_USER_TOKEN", nil),
			},
			"service_region": {
				Type:     schema.TypeString,
				Optional: true,
				Default:  "",
			},
			"api_url_override": {
				Type:     schema.TypeString,
				Optional: true,
				Default:  "",
			},
		},
		DataSourcesMap: map[string]*schema.Resource{
			"pagerduty_schedule": dataSourcePagerDutySchedule(),
			"pagerduty_user":     dataSourcePagerDutyUser(),
			"pagerduty_vendor":   dataSourcePagerDutyVendor(),
		},
		ResourcesMap: map[string]*schema.Resource{
			"pagerduty_escalation_policy":   resourcePagerDutyEscalationPolicy(),
			"pagerduty_schedule":            resourcePagerDutySchedule(),
			"pagerduty_service":             resourcePagerDutyService(),
			"pagerduty_service_integration": resourcePagerDutyServiceIntegration(),
		},
	}
	p.ConfigureFunc = func(d *schema.ResourceData) (interface{}, error) {
		return providerConfigure(d)
	}
	return p
}

func providerConfigure(data *schema.ResourceData) (interface{}, error) {
	region := strings.ToLower(data.Get("service_region").(string))
	if region == "us" || region == "" {
		region = ""
	} else {
		region = region + "."
	}
	return &Config{
		ApiUrl:              "https://api." + region + "pagerduty.com",
		AppUrl:              "https://app." + region + "pagerduty.com",
		SkipCredsValidation: data.Get("skip_credentials_validation").(bool),
		Token:               data.Get("token").(string),
		UserToken:           data.Get("user_token").(string),
		ApiUrlOverride:      data.Get("api_url_override").(string),
	}, nil
}

const invalidCreds = `

No valid credentials found for PagerDuty provider.
Please see https://www.terraform.io/docs/providers/pagerduty/index.html
for more information on providing credentials for this provider.
`

// Config is config.go's Config: the client is made on first use, not at Configure, so a wrong
// token or an unreachable API shows at the first resource operation.
type Config struct {
	mu                  sync.Mutex
	ApiUrl              string
	ApiUrlOverride      string
	AppUrl              string
	Token               string
	UserToken           string
	SkipCredsValidation bool
	client              *Client
}

func (c *Config) Client() (*Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.client != nil {
		return c.client, nil
	}
	if c.Token == "" {
		return nil, fmt.Errorf(invalidCreds)
	}
	apiURL := c.ApiUrl
	if c.ApiUrlOverride != "" {
		apiURL = c.ApiUrlOverride
	}
	client := newClient(apiURL, c.Token)
	if !c.SkipCredsValidation {
		// GET /abilities; a 401 fails every operation with the invalidCreds text.
		if err := client.ValidateAuth(); err != nil {
			return nil, fmt.Errorf("%s\n%s", err, invalidCreds)
		}
	}
	c.client = client
	log.Printf("[INFO] PagerDuty client configured")
	return c.client, nil
}

func genError(err error, d *schema.ResourceData) error {
	return fmt.Errorf("Error reading: %s: %s", d.Id(), err)
}

func handleNotFoundError(err error, d *schema.ResourceData) error {
	if isErrCode(err, 404) {
		log.Printf("[WARN] Removing %s because it's gone", d.Id())
		d.SetId("")
		return nil
	}
	return genError(err, d)
}
