// Engine tier: the data sources pagerduty_user, pagerduty_vendor and pagerduty_schedule of the
// transcribed Terraform PagerDuty provider.
//
// Transcribed from PagerDuty/terraform-provider-pagerduty v2.4.0 (commit 052af92b8d44)
// pagerduty/data_source_pagerduty_{user,vendor,schedule}.go: schemas, the one-page list calls
// (GET /users|/vendors|/schedules?query=...), the matching (user: e-mail exactly equal; vendor:
// case-insensitive equal, then a case-insensitive regexp of the name; schedule: name exactly equal)
// and the 30 s wait-and-retry on a 429. Real: the plugin SDK and the Pulumi bridge around it.
// Why: the provider module is not served by the Go module proxy this project can reach.
package pd

import (
	"fmt"
	"log"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/resource"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// retryOnRateLimit is the data sources' shared retry: only a 429 is retried, after 30 s, for up
// to five minutes; anything else fails at once.
func retryOnRateLimit(err error) *resource.RetryError {
	if isErrCode(err, 429) {
		time.Sleep(30 * time.Second)
		return resource.RetryableError(err)
	}
	return resource.NonRetryableError(err)
}

func dataSourcePagerDutyUser() *schema.Resource {
	return &schema.Resource{
		Read: dataSourcePagerDutyUserRead,
		Schema: map[string]*schema.Schema{
			"name":  {Type: schema.TypeString, Computed: true},
			"email": {Type: schema.TypeString, Required: true},
		},
	}
}

func dataSourcePagerDutyUserRead(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	log.Printf("[INFO] Reading PagerDuty user")
	searchEmail := d.Get("email").(string)
	return resource.Retry(5*time.Minute, func() *resource.RetryError {
		users, err := client.ListUsers(searchEmail)
		if err != nil {
			return retryOnRateLimit(err)
		}
		var found *User
		for _, u := range users {
			if u.Email == searchEmail {
				found = u
				break
			}
		}
		if found == nil {
			return resource.NonRetryableError(fmt.Errorf("Unable to locate any user with the email: %s", searchEmail))
		}
		d.SetId(found.ID)
		d.Set("name", found.Name)
		d.Set("email", found.Email)
		return nil
	})
}

func dataSourcePagerDutyVendor() *schema.Resource {
	return &schema.Resource{
		Read: dataSourcePagerDutyVendorRead,
		Schema: map[string]*schema.Schema{
			"name": {Type: schema.TypeString, Required: true},
			"type": {Type: schema.TypeString, Computed: true},
		},
	}
}

func dataSourcePagerDutyVendorRead(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	log.Printf("[INFO] Reading PagerDuty vendor")
	searchName := d.Get("name").(string)
	return resource.Retry(5*time.Minute, func() *resource.RetryError {
		vendors, err := client.ListVendors(searchName)
		if err != nil {
			return retryOnRateLimit(err)
		}
		var found *Vendor
		for _, v := range vendors {
			if strings.EqualFold(v.Name, searchName) {
				found = v
				break
			}
		}
		if found == nil {
			// The name is used as a regular expression, unescaped, as upstream does.
			pr := regexp.MustCompile("(?i)" + searchName)
			for _, v := range vendors {
				if pr.MatchString(v.Name) {
					found = v
					break
				}
			}
		}
		if found == nil {
			return resource.NonRetryableError(fmt.Errorf("Unable to locate any vendor with the name: %s", searchName))
		}
		d.SetId(found.ID)
		d.Set("name", found.Name)
		d.Set("type", found.GenericServiceType)
		return nil
	})
}

func dataSourcePagerDutySchedule() *schema.Resource {
	return &schema.Resource{
		Read: dataSourcePagerDutyScheduleRead,
		Schema: map[string]*schema.Schema{
			"name": {Type: schema.TypeString, Required: true},
		},
	}
}

func dataSourcePagerDutyScheduleRead(d *schema.ResourceData, meta interface{}) error {
	client, err := meta.(*Config).Client()
	if err != nil {
		return err
	}
	log.Printf("[INFO] Reading PagerDuty schedule")
	searchName := d.Get("name").(string)
	return resource.Retry(5*time.Minute, func() *resource.RetryError {
		schedules, err := client.ListSchedules(searchName)
		if err != nil {
			return retryOnRateLimit(err)
		}
		var found *Schedule
		for _, s := range schedules {
			if s.Name == searchName {
				found = s
				break
			}
		}
		if found == nil {
			return resource.NonRetryableError(fmt.Errorf("Unable to locate any schedule with the name: %s", searchName))
		}
		d.SetId(found.ID)
		d.Set("name", found.Name)
		return nil
	})
}
