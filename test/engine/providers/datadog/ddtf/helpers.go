// Package ddtf: see monitor_schema.go for what is real and what is transcribed.
//
// This file: our own versions of the upstream helpers the two resources use, behaving as the
// originals at commit 701d55bc4 do: datadog/internal/validators/validators.go (ValidateFloatString,
// ValidateEnumValue), datadog/internal/utils/utils.go (TranslateClientError, CheckForUnparsed),
// datadog/internal/utils/tags.go (NormalizeTag, StripIgnoredTags), datadog/provider.go
// (ignoreTagKeysDiff, tagDiff) and resource_datadog_monitor.go (suppressDataDogFloatIntDiff).
package ddtf

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
	"github.com/hashicorp/go-cty/cty"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// Upstream ValidateFloatString: the regexp matches the empty string too, so in effect it accepts any
// string; kept as upstream has it because that is what Check does.
var validateFloatString = validation.StringMatch(regexp.MustCompile(`\d*(\.\d*)?`), "value must be a float")

// validateEnumValue: the value must be accepted by the api client's New<Enum>FromValue constructor.
func validateEnumValue(newFromValue interface{}) schema.SchemaValidateDiagFunc {
	fn := reflect.ValueOf(newFromValue)
	argT := fn.Type().In(0)
	return func(val interface{}, path cty.Path) diag.Diagnostics {
		outs := fn.Call([]reflect.Value{reflect.ValueOf(val).Convert(argT)})
		if err := outs[1].Interface(); err != nil {
			return diag.Diagnostics{{
				Severity:      diag.Error,
				Summary:       "Invalid enum value",
				Detail:        fmt.Sprintf("`%v`", err.(error).Error()),
				AttributePath: path,
			}}
		}
		return nil
	}
}

// The API returns 10 where the configuration said "10.0" (and the other way round).
func suppressDataDogFloatIntDiff(_, old, new string, _ *schema.ResourceData) bool {
	oF, err := strconv.ParseFloat(old, 64)
	if err != nil {
		return false
	}
	nF, err := strconv.ParseFloat(new, 64)
	if err != nil {
		return false
	}
	return oF == nF
}

func translateClientError(err error, httpresp *http.Response, msg string) error {
	if httpresp != nil && httpresp.Request != nil {
		msg = fmt.Sprintf("%s from %s", msg, httpresp.Request.URL.EscapedPath())
	}
	if apiErr, ok := err.(datadog.GenericOpenAPIError); ok {
		return fmt.Errorf("%s: %w: %s", msg, err, apiErr.Body())
	}
	if errURL, ok := err.(*url.Error); ok {
		return fmt.Errorf("%s (url.Error): %w", msg, errURL)
	}
	return fmt.Errorf("%s: %w", msg, err)
}

func translateClientErrorDiag(err error, httpresp *http.Response, msg string) diag.Diagnostics {
	return diag.FromErr(translateClientError(err, httpresp, msg))
}

func checkForUnparsed(resp interface{}) error {
	if unparsed, invalidPart := datadog.ContainsUnparsedObject(resp); unparsed {
		return fmt.Errorf("object contains unparsed element: %+v", invalidPart)
	}
	return nil
}

const maxTagLength = 200

// normalizeTag follows Datadog's tag rules as upstream NormalizeTag does: lower-case letters, digits,
// ':', '.', '/', '-'; anything else becomes one '_'; it must start with a letter or ':'.
func normalizeTag(tag string) string {
	buf := make([]byte, 0, len(tag)+utf8.UTFMax)
	lastWasUnderscore := false
	for _, c := range tag {
		if len(buf) >= maxTagLength {
			break
		}
		switch {
		case c == ':':
			buf = append(buf, ':')
			lastWasUnderscore = false
		case unicode.IsLetter(c):
			buf = utf8.AppendRune(buf, unicode.ToLower(c))
			lastWasUnderscore = false
		case len(buf) == 0:
			// code points that cannot start a tag are dropped
		case c == '.' || c == '/' || c == '-':
			buf = append(buf, byte(c))
			lastWasUnderscore = false
		case unicode.IsDigit(c):
			buf = utf8.AppendRune(buf, c)
			lastWasUnderscore = false
		case !lastWasUnderscore:
			buf = append(buf, '_')
			lastWasUnderscore = true
		}
	}
	if lastWasUnderscore {
		buf = buf[:len(buf)-1]
	}
	return string(buf)
}

func tagKey(tag string) string {
	key, _, _ := strings.Cut(tag, ":")
	return normalizeTag(key)
}

// stripIgnoredTags: plan tags whose key is ignored are replaced by the state's tags with that key.
func stripIgnoredTags(planTags, stateTags, ignoreKeys []string) []string {
	if len(ignoreKeys) == 0 || len(stateTags) == 0 {
		return planTags
	}
	ignored := map[string]bool{}
	for _, k := range ignoreKeys {
		ignored[tagKey(k)] = true
	}
	out := []string{}
	for _, t := range planTags {
		if !ignored[tagKey(t)] {
			out = append(out, t)
		}
	}
	for _, t := range stateTags {
		if ignored[tagKey(t)] {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

func setStrings(s *schema.Set) []string {
	out := make([]string, 0, s.Len())
	for _, v := range s.List() {
		out = append(out, v.(string))
	}
	return out
}

// ignoreTagKeysDiff pins tags whose key is in ignore_tag_keys (resource or provider) to their state value.
func ignoreTagKeysDiff(_ context.Context, d *schema.ResourceDiff, meta interface{}) error {
	conf := meta.(*Configuration)
	ignoreKeys := append([]string{}, conf.IgnoreTagKeys...)
	if raw, ok := d.GetOk("ignore_tag_keys"); ok {
		ignoreKeys = append(ignoreKeys, setStrings(raw.(*schema.Set))...)
	}
	if len(ignoreKeys) == 0 {
		return nil
	}
	oldRaw, newRaw := d.GetChange("tags")
	planSet, ok := newRaw.(*schema.Set)
	if !ok || planSet == nil {
		return nil
	}
	var stateTags []string
	if stateSet, ok := oldRaw.(*schema.Set); ok && stateSet != nil {
		stateTags = setStrings(stateSet)
	}
	filtered := stripIgnoredTags(setStrings(planSet), stateTags, ignoreKeys)
	items := make([]interface{}, len(filtered))
	for i, t := range filtered {
		items[i] = t
	}
	if err := d.SetNew("tags", schema.NewSet(planSet.F, items)); err != nil {
		return fmt.Errorf("error applying ignore_tag_keys: %w", err)
	}
	return nil
}

// tagDiff merges the provider's default_tags into the planned tags (a key the resource sets wins).
func tagDiff(_ context.Context, d *schema.ResourceDiff, meta interface{}) error {
	conf := meta.(*Configuration)
	if len(conf.DefaultTags) == 0 {
		return nil
	}
	raw := d.Get("tags")
	if raw == nil {
		return nil
	}
	tagSet := raw.(*schema.Set)
	tags := map[string][]string{}
	for _, t := range setStrings(tagSet) {
		k, v, _ := strings.Cut(t, ":")
		tags[k] = append(tags[k], v)
	}
	for k, v := range conf.DefaultTags {
		if _, defined := tags[k]; !defined {
			tags[k] = []string{v.(string)}
		}
	}
	items := []interface{}{}
	for k, vals := range tags {
		for _, v := range vals {
			if v == "" {
				items = append(items, k)
			} else {
				items = append(items, k+":"+v)
			}
		}
	}
	if err := d.SetNew("tags", schema.NewSet(tagSet.F, items)); err != nil {
		return fmt.Errorf("error setting tags diff to %v: %w", tags, err)
	}
	return nil
}
