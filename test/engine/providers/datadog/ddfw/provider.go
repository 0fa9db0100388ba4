// Package ddfw is the terraform-plugin-framework half of the engine-tier Datadog provider: the
// resources upstream serves from its framework provider (datadog/fwprovider), which pulumi-datadog muxes
// with the SDKv2 provider (pkg/pf/tfbridge MuxShimWithPF in provider/resources.go at eac1422). The
// framework itself (github.com/hashicorp/terraform-plugin-framework v1.19.0, the version upstream's
// go.mod names) and the Datadog API client are REAL modules; the provider and resource code is our own,
// TRANSCRIBED from DataDog/terraform-provider-datadog at 701d55bc44f349de6074a6f770c26fcbfb4ce8b1 because
// the upstream module is not served by the Go module proxy here (see ../README.md).
//
// This file: the framework provider, from datadog/fwprovider/framework_provider.go (Schema, Configure,
// ConfigureConfigDefaults, ValidateConfigValues, defaultConfigureFunc, FrameworkResourceWrapper). Every
// configuration key upstream declares is declared with the same type, so the mux's CheckConfig and
// Configure accept the same program; like upstream, Configure does NOT call /api/v1/validate (upstream
// comments it out as a duplicate of the SDKv2 provider's check). Only datadog_downtime_schedule is
// registered; cloud-provider and bearer-token auth are declared but refused, as in ../ddtf.
package ddfw

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Provider is what upstream calls FrameworkProvider: the API client and its auth context, handed to
// each resource's Configure.
type Provider struct {
	Downtimes *datadogV2.DowntimesApi
	Auth      context.Context
}

type defaultTag struct {
	Tags types.Map `tfsdk:"tags"`
}

// config mirrors upstream ProviderSchema, plus http_client_retry_jitter (see providerSchema).
type config struct {
	ApiKey                           types.String `tfsdk:"api_key"`
	AppKey                           types.String `tfsdk:"app_key"`
	BearerToken                      types.String `tfsdk:"bearer_token"`
	ApiUrl                           types.String `tfsdk:"api_url"`
	Validate                         types.String `tfsdk:"validate"`
	CloudProviderType                types.String `tfsdk:"cloud_provider_type"`
	CloudProviderRegion              types.String `tfsdk:"cloud_provider_region"`
	OrgUuid                          types.String `tfsdk:"org_uuid"`
	AWSAccessKeyId                   types.String `tfsdk:"aws_access_key_id"`
	AWSSecretAccessKey               types.String `tfsdk:"aws_secret_access_key"`
	AWSSessionToken                  types.String `tfsdk:"aws_session_token"`
	HttpClientRetryEnabled           types.String `tfsdk:"http_client_retry_enabled"`
	HttpClientRetryTimeout           types.Int64  `tfsdk:"http_client_retry_timeout"`
	HttpClientRetryBackoffMultiplier types.Int64  `tfsdk:"http_client_retry_backoff_multiplier"`
	HttpClientRetryBackoffBase       types.Int64  `tfsdk:"http_client_retry_backoff_base"`
	HttpClientRetryMaxRetries        types.Int64  `tfsdk:"http_client_retry_max_retries"`
	HttpClientRetryJitter            types.Int64  `tfsdk:"http_client_retry_jitter"`
	DefaultTags                      []defaultTag `tfsdk:"default_tags"`
	IgnoreTagKeys                    types.Set    `tfsdk:"ignore_tag_keys"`
}

// New returns the framework provider (upstream fwprovider.New).
func New() provider.Provider { return &Provider{} }

func (p *Provider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "datadog_"
}

// Resources: upstream wraps every resource in FrameworkResourceWrapper, whose Metadata prefixes the
// provider's type name ("datadog_" + "downtime_schedule").
func (p *Provider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return &prefixed{inner: NewDowntimeScheduleResource()} },
	}
}

func (p *Provider) DataSources(_ context.Context) []func() datasource.DataSource { return nil }

func optString(sensitive bool) schema.StringAttribute {
	return schema.StringAttribute{Optional: true, Sensitive: sensitive}
}

func (p *Provider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"api_key":                              optString(true),
			"app_key":                              optString(true),
			"bearer_token":                         optString(true),
			"api_url":                              optString(false),
			"validate":                             optString(false),
			"cloud_provider_type":                  optString(false),
			"cloud_provider_region":                optString(false),
			"org_uuid":                             optString(false),
			"aws_access_key_id":                    optString(true),
			"aws_secret_access_key":                optString(true),
			"aws_session_token":                    optString(true),
			"http_client_retry_enabled":            optString(false),
			"http_client_retry_timeout":            schema.Int64Attribute{Optional: true},
			"http_client_retry_backoff_multiplier": schema.Int64Attribute{Optional: true},
			"http_client_retry_backoff_base":       schema.Int64Attribute{Optional: true},
			"http_client_retry_max_retries":        schema.Int64Attribute{Optional: true},
			// Not in framework_provider.go at 701d55bc4 but in @pulumi/datadog 5.11.0's provider.d.ts (see
			// ../ddtf/provider.go): declared in both halves so the muxed Configure accepts it; no effect.
			"http_client_retry_jitter": schema.Int64Attribute{Optional: true},
			"ignore_tag_keys":          schema.SetAttribute{Optional: true, ElementType: types.StringType},
		},
		Blocks: map[string]schema.Block{
			"default_tags": schema.ListNestedBlock{
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"tags": schema.MapAttribute{ElementType: types.StringType, Optional: true},
					},
				},
			},
		},
	}
}

// Upstream utils.GetMultiEnvVar: the first of the variables that is set.
func firstEnv(names ...string) (string, bool) {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v, true
		}
	}
	return "", false
}

func (p *Provider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var c config
	resp.Diagnostics.Append(req.Config.Get(ctx, &c)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(defaults(ctx, &c)...)
	resp.Diagnostics.Append(p.configure(&c)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.ResourceData = p
	resp.DataSourceData = p
}

// defaults: upstream ConfigureConfigDefaults (environment fallbacks, validate and retry default "true")
// followed by ValidateConfigValues.
func defaults(ctx context.Context, c *config) diag.Diagnostics {
	fromEnv := func(v *types.String, names ...string) {
		if v.IsNull() {
			if s, ok := firstEnv(names...); ok {
				*v = types.StringValue(s)
			}
		}
	}
	fromEnv(&c.ApiKey, "DD_API_KEY", "DATADOG_API_KEY")
	fromEnv(&c.AppKey, "DD_APP_KEY", "DATADOG_APP_KEY")
	fromEnv(&c.BearerToken, "DD_BEARER_TOKEN", "DATADOG_BEARER_TOKEN")
	fromEnv(&c.ApiUrl, "DD_HOST", "DATADOG_HOST")
	fromEnv(&c.CloudProviderType, "DD_CLOUD_PROVIDER_TYPE")
	fromEnv(&c.OrgUuid, "DD_ORG_UUID")
	fromEnv(&c.HttpClientRetryEnabled, "DD_HTTP_CLIENT_RETRY_ENABLED")
	if c.Validate.IsNull() {
		c.Validate = types.StringValue("true")
	}
	if c.HttpClientRetryEnabled.IsNull() {
		c.HttpClientRetryEnabled = types.StringValue("true")
	}

	var diags diag.Diagnostics
	trueFalse := stringvalidator.OneOf("true", "false")
	for _, v := range []types.String{c.Validate, c.HttpClientRetryEnabled} {
		r := validator.StringResponse{}
		trueFalse.ValidateString(ctx, validator.StringRequest{ConfigValue: v}, &r)
		diags.Append(r.Diagnostics...)
	}
	check64 := func(v types.Int64, val validator.Int64) {
		if v.IsNull() {
			return
		}
		r := validator.Int64Response{}
		val.ValidateInt64(ctx, validator.Int64Request{ConfigValue: v}, &r)
		diags.Append(r.Diagnostics...)
	}
	check64(c.HttpClientRetryBackoffMultiplier, int64validator.AtLeast(1))
	check64(c.HttpClientRetryBackoffBase, int64validator.AtLeast(1))
	check64(c.HttpClientRetryMaxRetries, int64validator.Between(1, 5))
	return diags
}

// configure: upstream defaultConfigureFunc, for API/APP-key auth.
func (p *Provider) configure(c *config) diag.Diagnostics {
	var diags diag.Diagnostics
	validate, _ := strconv.ParseBool(c.Validate.ValueString())
	retry, _ := strconv.ParseBool(c.HttpClientRetryEnabled.ValueString())
	if c.CloudProviderType.ValueString() != "" || c.BearerToken.ValueString() != "" {
		diags.AddError("cloud_provider_type and bearer_token are not implemented by this engine-tier stand-in", "")
		return diags
	}
	if validate && (c.ApiKey.ValueString() == "" || c.AppKey.ValueString() == "") {
		diags.AddError("api_key and app_key, bearer_token, or orgUUID must be set unless validate = false", "")
		return diags
	}

	auth := context.Background()
	if c.ApiKey.ValueString() != "" || c.AppKey.ValueString() != "" {
		auth = context.WithValue(auth, datadog.ContextAPIKeys, map[string]datadog.APIKey{
			"apiKeyAuth": {Key: c.ApiKey.ValueString()},
			"appKeyAuth": {Key: c.AppKey.ValueString()},
		})
	}
	conf := datadog.NewConfiguration()
	if u := c.ApiUrl.ValueString(); u != "" {
		parsed, err := url.Parse(u)
		if err != nil {
			diags.AddError("invalid API URL", err.Error())
			return diags
		}
		if parsed.Host == "" || parsed.Scheme == "" {
			diags.AddError("invalid API URL", fmt.Sprintf("API URL '%s' missing protocol or host", u))
			return diags
		}
		// As upstream: an api_url selects server index 1, "{protocol}://{name}".
		auth = context.WithValue(auth, datadog.ContextServerIndex, 1)
		auth = context.WithValue(auth, datadog.ContextServerVariables, map[string]string{"name": parsed.Host, "protocol": parsed.Scheme})
	}
	if retry {
		conf.RetryConfiguration.EnableRetry = true
		if !c.HttpClientRetryTimeout.IsNull() {
			conf.RetryConfiguration.HTTPRetryTimeout = time.Duration(c.HttpClientRetryTimeout.ValueInt64()) * time.Second
		}
		if !c.HttpClientRetryBackoffMultiplier.IsNull() {
			conf.RetryConfiguration.BackOffMultiplier = float64(c.HttpClientRetryBackoffMultiplier.ValueInt64())
		}
		if !c.HttpClientRetryBackoffBase.IsNull() {
			conf.RetryConfiguration.BackOffBase = float64(c.HttpClientRetryBackoffBase.ValueInt64())
		}
		if !c.HttpClientRetryMaxRetries.IsNull() {
			conf.RetryConfiguration.MaxRetries = int(c.HttpClientRetryMaxRetries.ValueInt64())
		}
	}
	client := datadog.NewAPIClient(conf)
	p.Downtimes = datadogV2.NewDowntimesApi(client)
	p.Auth = auth
	return diags
}

// prefixed is the part of upstream's FrameworkResourceWrapper that matters here: Metadata prefixes the
// provider type name, Configure skips a nil ProviderData, the rest passes through.
type prefixed struct{ inner *DowntimeScheduleResource }

var (
	_ resource.ResourceWithConfigure   = &prefixed{}
	_ resource.ResourceWithImportState = &prefixed{}
)

func (r *prefixed) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.inner.Metadata(ctx, req, resp)
	resp.TypeName = req.ProviderTypeName + resp.TypeName
}

func (r *prefixed) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	r.inner.Configure(ctx, req, resp)
}

func (r *prefixed) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.inner.Schema(ctx, req, resp)
}

func (r *prefixed) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.inner.Create(ctx, req, resp)
}

func (r *prefixed) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.inner.Read(ctx, req, resp)
}

func (r *prefixed) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.inner.Update(ctx, req, resp)
}

func (r *prefixed) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	r.inner.Delete(ctx, req, resp)
}

func (r *prefixed) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" {
		resp.Diagnostics.AddError("resource ID is required for import and cannot be empty", "")
		return
	}
	r.inner.ImportState(ctx, req, resp)
}
