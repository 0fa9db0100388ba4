// Engine tier: a PagerDuty REST v2 client for the transcribed Terraform provider in this package.
//
// Real: nothing here; the Pulumi bridge and the Terraform plugin SDK are the real modules (see ../main.go).
// Transcribed: the request shape (headers, JSON envelopes, query options, error body) and the JSON field
// names of the structs the provider sends and reads, from github.com/heimweh/go-pagerduty at
// v0.0.0-20220208023456-83fe435832fb as vendored in PagerDuty/terraform-provider-pagerduty v2.4.0
// (vendor/github.com/heimweh/go-pagerduty/pagerduty/{pagerduty,error,references,schedule,
// escalation_policy,service,user,vendor,ability}.go). Only the calls the provider's schedule, escalation
// policy, service, service integration, user, vendor and schedule data source make are here.
// Why: neither that client nor the provider is served by the Go module proxy this project can reach,
// so @pulumi/pagerduty 3.4.0's plugin can't be built; this is written anew, not copied.
package pd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Client talks to the PagerDuty REST API (or the engine tier's stand-in at api_url_override).
type Client struct {
	baseURL string
	token   string
	http    *http.Client
}

// Error mirrors go-pagerduty's Error: the `error` object of an API error body, plus the response.
type Error struct {
	StatusCode int
	Method     string
	URL        string
	Status     string
	Code       int         `json:"code,omitempty"`
	Errors     interface{} `json:"errors,omitempty"`
	Message    string      `json:"message,omitempty"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s API call to %s failed %v. Code: %d, Errors: %v, Message: %s", e.Method, e.URL, e.Status, e.Code, e.Errors, e.Message)
}

func newClient(baseURL, token string) *Client {
	return &Client{baseURL: baseURL, token: token, http: http.DefaultClient}
}

// do sends one request the way go-pagerduty's newRequest/do do: JSON body, the v2 Accept header,
// `Token token=` authorization, its fixed User-Agent; a non-2xx answer becomes *Error.
func (c *Client) do(method, path string, query url.Values, body, out interface{}) error {
	u := c.baseURL + path
	if enc := query.Encode(); enc != "" {
		u += "?" + enc
	}
	var buf io.Reader
	if body != nil {
		b := new(bytes.Buffer)
		if err := json.NewEncoder(b).Encode(body); err != nil {
			return err
		}
		buf = b
	}
	req, err := http.NewRequest(method, u, buf)
	if err != nil {
		return err
	}
	req.Header.Add("Accept", "application/vnd.pagerduty+json;version=2")
	req.Header.Add("Authorization", fmt.Sprintf("Token token=%s", c.token))
	req.Header.Add("Content-Type", "application/json")
	req.Header.Add("User-Agent", "heimweh/go-pagerduty(terraform)")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &Error{StatusCode: resp.StatusCode, Method: method, URL: req.URL.String(), Status: resp.Status}
		wrapper := struct {
			Error *Error `json:"error"`
		}{Error: e}
		if err := json.Unmarshal(data, &wrapper); err != nil {
			return fmt.Errorf("%s API call to %s failed: %v", method, req.URL.String(), resp.Status)
		}
		return e
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

func isErrCode(err error, code int) bool {
	e, ok := err.(*Error)
	return ok && e.StatusCode == code
}

type resourceReference struct {
	HTMLURL string `json:"html_url,omitempty"`
	ID      string `json:"id,omitempty"`
	Self    string `json:"self,omitempty"`
	Summary string `json:"summary,omitempty"`
	Type    string `json:"type,omitempty"`
}

// UserReferenceWrapper is how a schedule layer lists its users: `{"user": {...}}`.
type UserReferenceWrapper struct {
	User *resourceReference `json:"user,omitempty"`
}

// ValidateAuth is go-pagerduty's credential check: list the account's abilities.
func (c *Client) ValidateAuth() error {
	var v struct {
		Abilities []string `json:"abilities,omitempty"`
	}
	return c.do("GET", "/abilities", nil, nil, &v)
}

// ---- schedules (go-pagerduty schedule.go) ----

type Restriction struct {
	DurationSeconds int    `json:"duration_seconds,omitempty"`
	StartDayOfWeek  int    `json:"start_day_of_week,omitempty"`
	StartTimeOfDay  string `json:"start_time_of_day,omitempty"`
	Type            string `json:"type,omitempty"`
}

type ScheduleLayer struct {
	// Not omitempty: a null end means the layer does not end.
	End                       *string                 `json:"end"`
	ID                        string                  `json:"id,omitempty"`
	Name                      string                  `json:"name,omitempty"`
	Restrictions              []*Restriction          `json:"restrictions,omitempty"`
	RotationTurnLengthSeconds int                     `json:"rotation_turn_length_seconds,omitempty"`
	RotationVirtualStart      string                  `json:"rotation_virtual_start,omitempty"`
	Start                     string                  `json:"start,omitempty"`
	Users                     []*UserReferenceWrapper `json:"users,omitempty"`
}

type Schedule struct {
	Description    string               `json:"description,omitempty"`
	HTMLURL        string               `json:"html_url,omitempty"`
	ID             string               `json:"id,omitempty"`
	Name           string               `json:"name,omitempty"`
	ScheduleLayers []*ScheduleLayer     `json:"schedule_layers,omitempty"`
	Self           string               `json:"self,omitempty"`
	Summary        string               `json:"summary,omitempty"`
	TimeZone       string               `json:"time_zone,omitempty"`
	Type           string               `json:"type,omitempty"`
	Users          []*resourceReference `json:"users,omitempty"`
	Teams          []*resourceReference `json:"teams,omitempty"`
}

type schedulePayload struct {
	Schedule *Schedule `json:"schedule,omitempty"`
}

func overflowQuery(overflow bool) url.Values {
	q := url.Values{}
	if overflow {
		q.Set("overflow", "true")
	}
	return q
}

func (c *Client) CreateSchedule(s *Schedule, overflow bool) (*Schedule, error) {
	v := new(schedulePayload)
	if err := c.do("POST", "/schedules", overflowQuery(overflow), &schedulePayload{Schedule: s}, v); err != nil {
		return nil, err
	}
	return v.Schedule, nil
}

func (c *Client) GetSchedule(id string) (*Schedule, error) {
	v := new(schedulePayload)
	if err := c.do("GET", "/schedules/"+id, nil, nil, v); err != nil {
		return nil, err
	}
	return v.Schedule, nil
}

func (c *Client) UpdateSchedule(id string, s *Schedule, overflow bool) (*Schedule, error) {
	v := new(schedulePayload)
	if err := c.do("PUT", "/schedules/"+id, overflowQuery(overflow), &schedulePayload{Schedule: s}, v); err != nil {
		return nil, err
	}
	return v.Schedule, nil
}

func (c *Client) DeleteSchedule(id string) error {
	return c.do("DELETE", "/schedules/"+id, nil, nil, nil)
}

func (c *Client) ListSchedules(query string) ([]*Schedule, error) {
	var v struct {
		Schedules []*Schedule `json:"schedules,omitempty"`
	}
	q := url.Values{}
	if query != "" {
		q.Set("query", query)
	}
	if err := c.do("GET", "/schedules", q, nil, &v); err != nil {
		return nil, err
	}
	return v.Schedules, nil
}

// ---- escalation policies (go-pagerduty escalation_policy.go) ----

type EscalationRule struct {
	EscalationDelayInMinutes int                  `json:"escalation_delay_in_minutes,omitempty"`
	ID                       string               `json:"id,omitempty"`
	Targets                  []*resourceReference `json:"targets,omitempty"`
}

type EscalationPolicy struct {
	Description     string               `json:"description,omitempty"`
	EscalationRules []*EscalationRule    `json:"escalation_rules,omitempty"`
	HTMLURL         string               `json:"html_url,omitempty"`
	ID              string               `json:"id,omitempty"`
	Name            string               `json:"name,omitempty"`
	NumLoops        *int                 `json:"num_loops,omitempty"`
	RepeatEnabled   bool                 `json:"repeat_enabled,omitempty"`
	Self            string               `json:"self,omitempty"`
	Services        []*resourceReference `json:"services,omitempty"`
	Summary         string               `json:"summary,omitempty"`
	// Not omitempty in go-pagerduty: a policy without teams sends `"teams": null`.
	Teams []*resourceReference `json:"teams"`
	Type  string               `json:"type,omitempty"`
}

type escalationPolicyPayload struct {
	EscalationPolicy *EscalationPolicy `json:"escalation_policy"`
}

func (c *Client) CreateEscalationPolicy(p *EscalationPolicy) (*EscalationPolicy, error) {
	v := new(escalationPolicyPayload)
	if err := c.do("POST", "/escalation_policies", nil, &escalationPolicyPayload{p}, v); err != nil {
		return nil, err
	}
	return v.EscalationPolicy, nil
}

func (c *Client) GetEscalationPolicy(id string) (*EscalationPolicy, error) {
	v := new(escalationPolicyPayload)
	if err := c.do("GET", "/escalation_policies/"+id, nil, nil, v); err != nil {
		return nil, err
	}
	return v.EscalationPolicy, nil
}

func (c *Client) UpdateEscalationPolicy(id string, p *EscalationPolicy) (*EscalationPolicy, error) {
	v := new(escalationPolicyPayload)
	if err := c.do("PUT", "/escalation_policies/"+id, nil, &escalationPolicyPayload{p}, v); err != nil {
		return nil, err
	}
	return v.EscalationPolicy, nil
}

func (c *Client) DeleteEscalationPolicy(id string) error {
	return c.do("DELETE", "/escalation_policies/"+id, nil, nil, nil)
}

// ---- services and integrations (go-pagerduty service.go) ----

type At struct {
	Name string `json:"name,omitempty"`
	Type string `json:"type,omitempty"`
}

type ScheduledAction struct {
	At        *At    `json:"at,omitempty"`
	ToUrgency string `json:"to_urgency,omitempty"`
	Type      string `json:"type,omitempty"`
}

type IncidentUrgencyType struct {
	Type    string `json:"type,omitempty"`
	Urgency string `json:"urgency,omitempty"`
}

type SupportHours struct {
	DaysOfWeek []int  `json:"days_of_week,omitempty"`
	EndTime    string `json:"end_time,omitempty"`
	StartTime  string `json:"start_time,omitempty"`
	TimeZone   string `json:"time_zone,omitempty"`
	Type       string `json:"type,omitempty"`
}

type AlertGroupingConfig struct {
	Timeout   *int     `json:"timeout,omitempty"`
	Aggregate *string  `json:"aggregate,omitempty"`
	Fields    []string `json:"fields,omitempty"`
}

type AlertGroupingParameters struct {
	Type   *string              `json:"type,omitempty"`
	Config *AlertGroupingConfig `json:"config,omitempty"`
}

type IncidentUrgencyRule struct {
	DuringSupportHours  *IncidentUrgencyType `json:"during_support_hours,omitempty"`
	OutsideSupportHours *IncidentUrgencyType `json:"outside_support_hours,omitempty"`
	Type                string               `json:"type,omitempty"`
	Urgency             string               `json:"urgency,omitempty"`
}

type Service struct {
	// Not omitempty: "null" in the config sends `null`, which turns the timeout off.
	AcknowledgementTimeout *int                 `json:"acknowledgement_timeout"`
	Addons                 []*resourceReference `json:"addons,omitempty"`
	AlertCreation          string               `json:"alert_creation,omitempty"`
	// Not omitempty in go-pagerduty either.
	AlertGrouping           *string                  `json:"alert_grouping"`
	AlertGroupingTimeout    *int                     `json:"alert_grouping_timeout,omitempty"`
	AlertGroupingParameters *AlertGroupingParameters `json:"alert_grouping_parameters,omitempty"`
	AutoResolveTimeout      *int                     `json:"auto_resolve_timeout"`
	CreatedAt               string                   `json:"created_at,omitempty"`
	Description             string                   `json:"description,omitempty"`
	EscalationPolicy        *resourceReference       `json:"escalation_policy,omitempty"`
	HTMLURL                 string                   `json:"html_url,omitempty"`
	ID                      string                   `json:"id,omitempty"`
	IncidentUrgencyRule     *IncidentUrgencyRule     `json:"incident_urgency_rule,omitempty"`
	Integrations            []*resourceReference     `json:"integrations,omitempty"`
	LastIncidentTimestamp   string                   `json:"last_incident_timestamp,omitempty"`
	Name                    string                   `json:"name,omitempty"`
	ScheduledActions        []*ScheduledAction       `json:"scheduled_actions,omitempty"`
	Self                    string                   `json:"self,omitempty"`
	Status                  string                   `json:"status,omitempty"`
	Summary                 string                   `json:"summary,omitempty"`
	SupportHours            *SupportHours            `json:"support_hours,omitempty"`
	Teams                   []*resourceReference     `json:"teams,omitempty"`
	Type                    string                   `json:"type,omitempty"`
}

type servicePayload struct {
	Service *Service `json:"service,omitempty"`
}

func (c *Client) CreateService(s *Service) (*Service, error) {
	v := new(servicePayload)
	if err := c.do("POST", "/services", nil, &servicePayload{s}, v); err != nil {
		return nil, err
	}
	return v.Service, nil
}

func (c *Client) GetService(id string) (*Service, error) {
	v := new(servicePayload)
	if err := c.do("GET", "/services/"+id, nil, nil, v); err != nil {
		return nil, err
	}
	return v.Service, nil
}

func (c *Client) UpdateService(id string, s *Service) (*Service, error) {
	v := new(servicePayload)
	if err := c.do("PUT", "/services/"+id, nil, &servicePayload{s}, v); err != nil {
		return nil, err
	}
	return v.Service, nil
}

func (c *Client) DeleteService(id string) error {
	return c.do("DELETE", "/services/"+id, nil, nil, nil)
}

type EmailFilter struct {
	BodyMode       string `json:"body_mode,omitempty"`
	BodyRegex      string `json:"body_regex,omitempty"`
	FromEmailMode  string `json:"from_email_mode,omitempty"`
	FromEmailRegex string `json:"from_email_regex,omitempty"`
	ID             string `json:"id,omitempty"`
	SubjectMode    string `json:"subject_mode,omitempty"`
	SubjectRegex   string `json:"subject_regex,omitempty"`
}

type Predicate struct {
	Matcher    string       `json:"matcher,omitempty"`
	Part       string       `json:"part,omitempty"`
	Predicates []*Predicate `json:"children,omitempty"`
	Type       string       `json:"type,omitempty"`
}

type MatchPredicate struct {
	Predicates []*Predicate `json:"children,omitempty"`
	Type       string       `json:"type,omitempty"`
}

type ValueExtractor struct {
	ValueName   string `json:"value_name,omitempty"`
	Part        string `json:"part,omitempty"`
	StartsAfter string `json:"starts_after,omitempty"`
	EndsBefore  string `json:"ends_before,omitempty"`
	Type        string `json:"type,omitempty"`
	Regex       string `json:"regex,omitempty"`
}

type EmailParser struct {
	Action          string            `json:"action,omitempty"`
	ID              *int              `json:"id,omitempty"`
	MatchPredicate  *MatchPredicate   `json:"match_predicate,omitempty"`
	ValueExtractors []*ValueExtractor `json:"value_extractors,omitempty"`
}

type Integration struct {
	CreatedAt             string             `json:"created_at,omitempty"`
	EmailIncidentCreation string             `json:"email_incident_creation,omitempty"`
	EmailFilterMode       string             `json:"email_filter_mode,omitempty"`
	EmailParsers          []*EmailParser     `json:"email_parsers,omitempty"`
	EmailParsingFallback  string             `json:"email_parsing_fallback,omitempty"`
	EmailFilters          []*EmailFilter     `json:"email_filters,omitempty"`
	HTMLURL               string             `json:"html_url,omitempty"`
	ID                    string             `json:"id,omitempty"`
	IntegrationEmail      string             `json:"integration_email,omitempty"`
	IntegrationKey        string             `json:"integration_key,omitempty"`
	Name                  string             `json:"name,omitempty"`
	Self                  string             `json:"self,omitempty"`
	Service               *resourceReference `json:"service,omitempty"`
	Summary               string             `json:"summary,omitempty"`
	Type                  string             `json:"type,omitempty"`
	Vendor                *resourceReference `json:"vendor,omitempty"`
}

type integrationPayload struct {
	Integration *Integration `json:"integration,omitempty"`
}

func integrationPath(serviceID, integrationID string) string {
	p := "/services/" + serviceID + "/integrations"
	if integrationID != "" {
		p += "/" + integrationID
	}
	return p
}

func (c *Client) CreateIntegration(serviceID string, i *Integration) (*Integration, error) {
	v := new(integrationPayload)
	if err := c.do("POST", integrationPath(serviceID, ""), nil, &integrationPayload{i}, v); err != nil {
		return nil, err
	}
	return v.Integration, nil
}

func (c *Client) GetIntegration(serviceID, id string) (*Integration, error) {
	v := new(integrationPayload)
	if err := c.do("GET", integrationPath(serviceID, id), nil, nil, v); err != nil {
		return nil, err
	}
	return v.Integration, nil
}

func (c *Client) UpdateIntegration(serviceID, id string, i *Integration) (*Integration, error) {
	v := new(integrationPayload)
	if err := c.do("PUT", integrationPath(serviceID, id), nil, &integrationPayload{i}, v); err != nil {
		return nil, err
	}
	return v.Integration, nil
}

func (c *Client) DeleteIntegration(serviceID, id string) error {
	return c.do("DELETE", integrationPath(serviceID, id), nil, nil, nil)
}

// ---- users and vendors (go-pagerduty user.go, vendor.go) ----

type User struct {
	Email string `json:"email,omitempty"`
	ID    string `json:"id,omitempty"`
	Name  string `json:"name,omitempty"`
	Type  string `json:"type,omitempty"`
}

// ListUsers is one GET /users?query=...: go-pagerduty's List reads one page and the data source
// doesn't page on, so a user past the first page is not found.
func (c *Client) ListUsers(query string) ([]*User, error) {
	var v struct {
		Users []*User `json:"users,omitempty"`
	}
	q := url.Values{}
	if query != "" {
		q.Set("query", query)
	}
	if err := c.do("GET", "/users", q, nil, &v); err != nil {
		return nil, err
	}
	return v.Users, nil
}

type Vendor struct {
	GenericServiceType string `json:"generic_service_type,omitempty"`
	ID                 string `json:"id,omitempty"`
	Name               string `json:"name,omitempty"`
	Type               string `json:"type,omitempty"`
}

func (c *Client) ListVendors(query string) ([]*Vendor, error) {
	var v struct {
		Vendors []*Vendor `json:"vendors,omitempty"`
	}
	q := url.Values{}
	if query != "" {
		q.Set("query", query)
	}
	if err := c.do("GET", "/vendors", q, nil, &v); err != nil {
		return nil, err
	}
	return v.Vendors, nil
}
