// A stand-in for pulumi-language-nodejs, the Node.js language host that the Pulumi CLI 3.248.0 starts to run
// a Node.js program (Run) and a Node.js policy pack (RunPlugin).
//
// Why a stand-in: the real host is its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), and the Go module proxy this project's
// machines reach does not serve it at any version (403 "This module version is not available", probed for the
// pseudo-version of pulumi/pulumi commit dc7edd58, for v3.248.0 and for @latest). Everything else it is built
// from is served, so this stand-in keeps the real host's behaviour where it matters, function by function, read
// from sdk/nodejs/cmd/pulumi-language-nodejs/main.go at tag v3.248.0, and reuses the same SDK pieces the real
// host calls (sdk/v3 NewPolicyProxy, rpcutil.MakeRunPluginStreams, rpcutil.Healthcheck, config.ParseKey):
//   - RunPlugin for a policy pack (kind "analyzer"): `node <resolved @pulumi/pulumi/cmd/run-policy-pack>
//     <args...> <pack dir>`, cwd = the pack directory, environment = the request's Env plus
//     PULUMI_NODEJS_TYPESCRIPT when the pack's runtime options say typescript (default true), plus
//     PULUMI_NODEJS_{ORGANIZATION,PROJECT,STACK,DRY_RUN} and PULUMI_CONFIG from the engine's stack
//     configuration, read through the real PolicyProxy.
//   - Run: `node <resolved @pulumi/pulumi/cmd/run> --monitor … --engine … --organization … --project …
//     --root-directory … --stack … --pwd … [--dry-run] --parallel N [--tracing …] <entry point> <args…>`
//     with PULUMI_CONFIG (keys rewritten to `<ns>:config:<name>`) and PULUMI_CONFIG_SECRET_KEYS.
//   - GetRequiredPackages: every node_modules package.json with `pulumi.resource: true` (name and version
//     rules of getPluginName/getPluginVersion), skipping nested policy packs.
// Left out, on purpose: the monitor proxy and the FIFO pipes for synchronous invokes (proxy.go forwards
// every ResourceMonitor call unchanged; the pipes serve only the deprecated synchronous invokes, which this
// project's program never makes), so the program is given the engine's monitor address directly; bun,
// debugging, tracing, code generation, Pack/Link and dependency installation (the CLI runs none of those for
// `preview`, `up`, `refresh` or `destroy` of a local program and pack).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func main() {
	var tracing, runtimeName string
	flag.StringVar(&tracing, "tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	flag.StringVar(&runtimeName, "runtime", "nodejs", "only nodejs is supported by this stand-in")
	showVersion := flag.Bool("version", false, "Print the current plugin version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		os.Exit(0)
	}
	if runtimeName != "nodejs" {
		cmdutil.Exit(fmt.Errorf("unsupported runtime: %s (this stand-in runs nodejs only)", runtimeName))
	}
	var engineAddress string
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start health check host RPC server: %w", err))
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{engineAddress: engineAddress, tracing: tracing})
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}
	// The spawner reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	tracing       string
}

func (h *host) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.EngineAddress
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// locateModule resolves a module from the program's directory, as main.go's locateModule does with `node -e`.
func locateModule(mod, dir string, isPlugin bool) (string, error) {
	install := "pulumi install"
	if isPlugin {
		install = "npm install in " + dir
	}
	script := fmt.Sprintf(`try { console.log(require.resolve('%s')); } catch (error) { if (error.code === 'MODULE_NOT_FOUND') { console.error("It looks like the Pulumi SDK has not been installed. Have you run %s?") } else { console.error(error.message); } process.exit(1); }`, mod, install)
	cmd := exec.Command("node", "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", errors.New(string(ee.Stderr))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// typescriptOption reads runtime.options.typescript (default true), as parseOptions does.
func typescriptOption(opts map[string]any) (bool, error) {
	v, ok := opts["typescript"]
	if !ok {
		return true, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, errors.New("typescript option must be a boolean")
	}
	return b, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath = "@pulumi/pulumi/cmd/run"
	}
	runPath, err := locateModule(runPath, req.Info.ProgramDirectory, false)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	args := []string{runPath}
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", req.GetInfo().RootDirectory)
	add("stack", req.GetStack())
	add("pwd", req.Info.ProgramDirectory)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	add("tracing", h.tracing)
	args = append(args, req.Info.EntryPoint)
	args = append(args, req.GetArgs()...)

	// constructConfig: keys in the old `<namespace>:config:<name>` form, which the SDK still reads.
	cfg := map[string]string{}
	for k, v := range req.GetConfig() {
		pk, err := config.ParseKey(k)
		if err != nil {
			return &pulumirpc.RunResponse{Error: err.Error()}, nil
		}
		cfg[pk.Namespace()+":config:"+pk.Name()] = v
	}
	cfgJSON, _ := json.Marshal(cfg)
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, _ := json.Marshal(secretKeys)
	env := append(os.Environ(), "PULUMI_CONFIG="+string(cfgJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))
	ts, err := typescriptOption(req.Info.Options.AsMap())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	if ts {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if p, ok := req.Info.Options.AsMap()["tsconfig"].(string); ok && p != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+p)
	}

	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Stdout, cmd.Stderr, cmd.Env = os.Stdout, os.Stderr, env
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			switch code := ee.ExitCode(); code {
			case 32: // the SDK already showed the user an actionable message
				return &pulumirpc.RunResponse{Bail: true}, nil
			default:
				return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
			}
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	ts, err := typescriptOption(req.Info.Options.AsMap())
	if err != nil {
		return err
	}
	env := req.Env
	if ts {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if p, ok := req.Info.Options.AsMap()["tsconfig"].(string); ok && p != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+p)
	}
	isPack := req.Kind == string(apitype.AnalyzerPlugin)
	runPath := "@pulumi/pulumi/cmd/run-policy-pack"
	if !isPack {
		if runPath = os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH"); runPath == "" {
			runPath = "@pulumi/pulumi/cmd/run-plugin"
		}
	}
	runPath, err = locateModule(runPath, req.Info.ProgramDirectory, true)
	if err != nil {
		return err
	}
	args := []string{runPath}
	// A policy pack gets its directory last; any other plugin first.
	if isPack {
		args = append(append(args, req.Args...), req.Info.ProgramDirectory)
	} else {
		args = append(append(args, req.Info.ProgramDirectory), req.Args...)
	}

	var proxy *sdk.PolicyProxy
	if isPack {
		// The stack's configuration reaches the pack's environment through the SDK's own policy proxy.
		if proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout); err != nil {
			return fmt.Errorf("could not start policy pack proxy: %w", err)
		}
		cfg, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get stack configuration: %w", err)
		}
		if cfg != nil {
			add := func(k, v string) {
				if v != "" {
					env = append(env, k+"="+v)
				}
			}
			add("PULUMI_NODEJS_ORGANIZATION", cfg.Organization)
			add("PULUMI_NODEJS_PROJECT", cfg.Project)
			add("PULUMI_NODEJS_STACK", cfg.Stack)
			add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(cfg.DryRun))
			if cfg.Config != nil {
				b, err := json.Marshal(cfg.Config)
				if err != nil {
					return fmt.Errorf("could not marshal stack configuration: %w", err)
				}
				add("PULUMI_CONFIG", string(b))
			}
		}
	}
	cmd := exec.CommandContext(ctx, "node", args...)
	// Policy packs have always run with the pack directory as cwd.
	if isPack {
		cmd.Dir = req.Info.ProgramDirectory
	} else {
		cmd.Dir = req.Pwd
	}
	cmd.Env, cmd.Stdout, cmd.Stderr = env, stdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("Problem executing plugin program (could not run language executor): %w", err)
	}
	if proxy != nil {
		if err := proxy.Attach(ctx, cmd); err != nil {
			return fmt.Errorf("could not attach policy pack proxy: %w", err)
		}
		return closer.Close()
	}
	if err := cmd.Wait(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("Program exited with non-zero exit code: %d", ee.ExitCode())
		}
		return err
	}
	return closer.Close()
}

type packageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// GetRequiredPackages walks node_modules as getPackagesFromDir does.
func (h *host) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	pkgs, _ := packagesIn(req.Info.ProgramDirectory, false, map[string]bool{})
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

func packagesIn(dir string, inNodeModules bool, seen map[string]bool) ([]*pulumirpc.PackageDependency, error) {
	dir, err := filepath.Abs(dir)
	if err != nil || seen[dir] {
		return nil, err
	}
	seen[dir] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*pulumirpc.PackageDependency
	for _, e := range entries {
		curr := filepath.Join(dir, e.Name())
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			if curr, err = filepath.EvalSymlinks(curr); err != nil {
				continue
			}
			fi, err := os.Stat(curr)
			if err != nil {
				continue
			}
			isDir = fi.IsDir()
		}
		if isDir {
			// A nested policy pack's plugins are not the program's.
			if pack, err := workspace.DetectPolicyPackPathAt(curr); err != nil || pack != "" {
				continue
			}
			more, _ := packagesIn(curr, inNodeModules || filepath.Base(dir) == "node_modules", seen)
			out = append(out, more...)
		} else if inNodeModules && e.Name() == "package.json" {
			b, err := os.ReadFile(curr)
			if err != nil {
				continue
			}
			var info packageJSON
			if json.Unmarshal(b, &info) != nil || !info.Pulumi.Resource {
				continue
			}
			name := info.Pulumi.Name
			if name == "" {
				if !strings.HasPrefix(info.Name, "@pulumi/") {
					continue
				}
				name = strings.TrimPrefix(info.Name, "@pulumi/")
			}
			v := info.Pulumi.Version
			if v == "" {
				v = info.Version
			}
			if v == "" {
				continue
			}
			if !strings.HasPrefix(v, "v") {
				v = "v" + v
			}
			out = append(out, &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: v, Server: info.Pulumi.Server})
		}
	}
	return out, nil
}
