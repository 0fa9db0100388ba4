// Engine tier: helpers of the transcribed Terraform PagerDuty provider.
//
// Transcribed from PagerDuty/terraform-provider-pagerduty v2.4.0 (commit 052af92b8d44) pagerduty/util.go:
// the RFC 3339 validation and the two diff suppressions the schedule schema uses. Real: the plugin SDK.
// Why: the provider module is not served by the Go module proxy this project can reach.
package pd

import (
	"fmt"
	"log"
	"time"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

func timeToUTC(v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

func validateRFC3339(v interface{}, k string) (we []string, errs []error) {
	value := v.(string)
	if _, err := time.Parse(time.RFC3339, value); err != nil {
		errs = append(errs, fmt.Errorf("%s is not a valid format for argument: %s. Expected format: %s (RFC3339)", value, k, time.RFC3339))
	}
	return
}

func suppressRFC3339Diff(k, oldTime, newTime string, d *schema.ResourceData) bool {
	oldT, newT, err := parseRFC3339Time(k, oldTime, newTime)
	if err != nil {
		log.Print(err.Error())
		return false
	}
	return oldT.Equal(newT)
}

// suppressScheduleLayerStartDiff: PagerDuty moves a layer start in the past to now (upstream issue
// #200), so two starts that are both past are no change.
func suppressScheduleLayerStartDiff(k, oldTime, newTime string, d *schema.ResourceData) bool {
	oldT, newT, err := parseRFC3339Time(k, oldTime, newTime)
	if err != nil {
		log.Print(err.Error())
		return false
	}
	return oldT.Equal(newT) || (newT.Before(time.Now()) && oldT.Before(time.Now()))
}

func parseRFC3339Time(k, oldTime, newTime string) (time.Time, time.Time, error) {
	var t time.Time
	oldT, err := time.Parse(time.RFC3339, oldTime)
	if err != nil {
		return t, t, fmt.Errorf("[ERROR] Failed to parse %q (old %q). Expected format: %s (RFC3339)", oldTime, k, time.RFC3339)
	}
	newT, err := time.Parse(time.RFC3339, newTime)
	if err != nil {
		return t, t, fmt.Errorf("[ERROR] Failed to parse %q (new %q). Expected format: %s (RFC3339)", oldTime, k, time.RFC3339)
	}
	return oldT, newT, nil
}

func validateValueFunc(values []string) schema.SchemaValidateFunc {
	return func(v interface{}, k string) (we []string, errs []error) {
		value := v.(string)
		for _, val := range values {
			if value == val {
				return
			}
		}
		errs = append(errs, fmt.Errorf("%#v is an invalid value for argument %s. Must be one of %#v", value, k, values))
		return
	}
}

func validateTimeZone(val interface{}, key string) (warns []string, errs []error) {
	if _, err := time.LoadLocation(val.(string)); err != nil {
		errs = append(errs, err)
	}
	return
}

func stringTypeToStringPtr(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

func stringPtrToStringType(v *string) string {
	if v == nil {
		return ""
	}
	return *v
}

func expandTeams(v interface{}) []*resourceReference {
	var teams []*resourceReference
	for _, t := range v.([]interface{}) {
		teams = append(teams, &resourceReference{ID: t.(string), Type: "team_reference"})
	}
	return teams
}

func flattenTeams(teams []*resourceReference) []string {
	res := make([]string, len(teams))
	for i, t := range teams {
		res[i] = t.ID
	}
	return res
}
