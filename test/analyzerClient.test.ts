// Drives the compiled policy pack through the Analyzer gRPC interface, the way the Pulumi CLI does.
// The pack runs from dist/: `npm test` builds first (pretest); with bare `npx vitest`, run `npm run build` first
// (the harness fails fast with that advice when dist is missing or stale).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PACK_DIR, PolicyPackProcess, secret, unknown } from "./support/analyzerClient.js";

const packVersion = (JSON.parse(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "package.json"), "utf8")) as { version: string })
    .version;

const MONITOR = "datadog:index/monitor:Monitor";

function gone(pid: number | undefined): boolean {
    if (pid === undefined) return true;
    try {
        process.kill(pid, 0);
        return false;
    } catch {
        return true;
    }
}

describe("policy pack over the Analyzer gRPC interface", () => {
    let pack: PolicyPackProcess;

    beforeAll(async () => {
        pack = await PolicyPackProcess.start({ stack: "nordlys", tags: { customer: "nordlys" } });
        console.log(`policy pack started in ${pack.startupMs} ms: node ${pack.argv.join(" ")}`);
    });

    afterEach(async () => {
        await pack.configure({}); // back to the defaults the CLI would send
    });

    afterAll(async () => {
        const pid = pack?.pid;
        await pack?.close();
        expect(gone(pid)).toBe(true);
    });

    it("is started like the CLI starts it", () => {
        expect(pack.argv[0]).toMatch(/@pulumi[\\/]pulumi[\\/]cmd[\\/]run-policy-pack[\\/]index\.js$/);
        expect(pack.argv.slice(2)).toEqual([".", "-typescript=false"]);
        expect(pack.cwd).toBe(DEFAULT_PACK_DIR);
        expect(pack.startupMs).toBeLessThan(10_000);
        expect(pack.output.filter((l) => l.stream === "stderr")).toEqual([]);
    });

    it("GetAnalyzerInfo lists the pack, its version and its policies", async () => {
        const info = await pack.getAnalyzerInfo();
        expect(info.name).toBe("pico-extended");
        expect(info.version).toBe(packVersion);
        expect(info.packVersion).toBe(packVersion);
        expect(info.supportsConfig).toBe(true);
        expect(info.policies.map((p) => [p.name, p.type, p.enforcementLevel])).toEqual([
            ["placeholder-no-forbidden", "resource", "mandatory"],
            ["placeholder-stack-limit", "stack", "mandatory"],
        ]);
        const stackLimit = info.policies.find((p) => p.name === "placeholder-stack-limit");
        expect(stackLimit?.configSchema?.properties).toEqual({ maxForbidden: { type: "integer", minimum: 0, default: 0 } });
    });

    it("Analyze reports a forbidden resource", async () => {
        const ds = await pack.analyze({ type: MONITOR, name: "bad", props: { name: "x", forbidden: true } });
        expect(ds).toEqual([
            {
                policyName: "placeholder-no-forbidden",
                policyPackName: "pico-extended",
                policyPackVersion: packVersion,
                message: `Placeholder: a resource must not set \`forbidden: true\`.\nResource 'bad' (${MONITOR}) sets forbidden: true.`,
                urn: "", // reportViolation(message) without a URN; the CLI attributes it to the analyzed resource
                enforcementLevel: "mandatory",
                description: "Placeholder: a resource must not set `forbidden: true`.",
            },
        ]);
    });

    it("Analyze passes a compliant resource", async () => {
        expect(await pack.analyze({ type: MONITOR, name: "ok", props: { name: "x", forbidden: false } })).toEqual([]);
        expect(await pack.analyze({ type: MONITOR, name: "bare" })).toEqual([]);
    });

    it("secrets arrive unwrapped in props", async () => {
        const ds = await pack.analyze({ type: MONITOR, name: "secretly-bad", props: { forbidden: secret(true) } });
        expect(ds.map((d) => d.policyName)).toEqual(["placeholder-no-forbidden"]);
    });

    it("an unknown (preview) value turns into an advisory can't-run diagnostic", async () => {
        const ds = await pack.analyze({ type: MONITOR, name: "pending", props: { forbidden: unknown } });
        expect(ds).toHaveLength(1);
        expect(ds[0]).toMatchObject({ policyName: "placeholder-no-forbidden", enforcementLevel: "advisory" });
        expect(ds[0]!.message).toMatch(/can't run policy 'placeholder-no-forbidden' .* during preview/);
    });

    it("AnalyzeStack runs stack policies (only) over all resources", async () => {
        const resources = [
            { type: MONITOR, name: "a", props: { forbidden: true } },
            { type: MONITOR, name: "b", props: { forbidden: false } },
            { type: MONITOR, name: "c", props: { forbidden: secret(true) } },
        ];
        const ds = await pack.analyzeStack(resources);
        expect(ds).toHaveLength(1);
        expect(ds[0]).toMatchObject({
            policyName: "placeholder-stack-limit",
            policyPackName: "pico-extended",
            policyPackVersion: packVersion,
            enforcementLevel: "mandatory",
            urn: "",
        });
        expect(ds[0]!.message).toContain("2 resources set forbidden: true (at most 0): a, c");
        expect(await pack.analyzeStack([resources[1]!])).toEqual([]);
        expect(await pack.analyzeStack([])).toEqual([]);
    });

    it("policy config reaches the policies (schema defaults, overrides, levels) and is validated", async () => {
        const two = [
            { type: MONITOR, name: "a", props: { forbidden: true } },
            { type: MONITOR, name: "b", props: { forbidden: true } },
        ];
        const sent = await pack.configure({ "placeholder-stack-limit": { maxForbidden: 2 } });
        expect(sent["placeholder-stack-limit"]).toEqual({ enforcementLevel: "mandatory", properties: { maxForbidden: 2 } });
        expect(await pack.analyzeStack(two)).toEqual([]);

        await pack.configure({ all: "advisory" });
        expect((await pack.analyzeStack(two)).map((d) => d.enforcementLevel)).toEqual(["advisory"]);

        await pack.configure({ "placeholder-no-forbidden": "disabled" });
        expect(await pack.analyze(two[0]!)).toEqual([]);

        await expect(pack.configure({ "placeholder-stack-limit": { maxForbidden: -1 } })).rejects.toThrow(
            /policy pack configuration is invalid: placeholder-stack-limit\/maxForbidden/,
        );
        await expect(pack.configure({ "no-such-policy": "mandatory" })).rejects.toThrow(/unknown policy/);
    });

    it("stack tags and the resource URN/options reach the policy args unchanged", async () => {
        // The placeholder policies do not read them; this only checks the request is accepted as the CLI sends it.
        const urn = "urn:pulumi:nordlys::pico-monitoring::pico:CustomerMonitoring$datadog:index/monitor:Monitor::m";
        const r = await pack.analyzeResult({
            type: MONITOR,
            name: "m",
            urn,
            props: { forbidden: false },
            options: { parent: "urn:pulumi:nordlys::pico-monitoring::pico:CustomerMonitoring::nordlys", protect: true },
            provider: { type: "pulumi:providers:datadog", name: "default_5_11_0", props: { apiKey: secret("k") } },
        });
        expect(r).toEqual({ diagnostics: [], notApplicable: [] });
    });
});

describe("start-up failures", () => {
    it("reports a pack that dies before printing its port, and leaves no process behind", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broken-pack-"));
        try {
            fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
            fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "broken", version: "0.0.1", main: "index.js" }));
            fs.writeFileSync(path.join(dir, "index.js"), 'throw new Error("boom at load");\n');
            // Resolve @pulumi/pulumi from the repo, as a real pack would from its own node_modules.
            fs.symlinkSync(path.join(DEFAULT_PACK_DIR, "..", "node_modules"), path.join(dir, "node_modules"), "dir");
            await expect(PolicyPackProcess.start({ packDir: dir, startTimeoutMs: 20_000 })).rejects.toThrow(
                /exited before printing its port[\s\S]*boom at load/,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
