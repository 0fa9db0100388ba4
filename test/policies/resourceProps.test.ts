// `peek` under @pulumi/policy's own unknown-checking proxy, the wrapper the pack's props arrive in
// under the CLI (node_modules/@pulumi/policy/proxy.js, from pulumi/pulumi-policy sdk/nodejs/policy/proxy.ts).
import { describe, expect, it } from "vitest";
import { PROXY_TARGET, PROXY_UNKNOWNS, peek, peekPath, UNKNOWN, UNKNOWN_SENTINEL } from "../../policies/resourceProps.js";

// Internal to @pulumi/policy: read here only to hold our copies of its constants equal to them.
const proxy = require("@pulumi/policy/proxy.js") as Record<string, unknown> & {
  unknownCheckingProxy: (v: object) => Record<string, unknown>;
};
const sentinels = Object.entries(proxy)
  .filter(([k]) => /^unknown[A-Z]\w*Value$/.test(k))
  .map(([, v]) => v);

describe("peek under @pulumi/policy's proxy", () => {
  it("knows the proxy's target key and every sentinel it throws on", () => {
    expect(PROXY_TARGET).toBe(proxy.getSpecialProxyTarget);
    expect(sentinels).toHaveLength(7);
    expect([...PROXY_UNKNOWNS].sort()).toEqual([...sentinels].sort());
    expect(PROXY_UNKNOWNS.has(UNKNOWN_SENTINEL)).toBe(true);
  });

  it("gives UNKNOWN for each sentinel, as a plain read does, and a known value still through the proxy", () => {
    const raw = {
      known: { deeper: UNKNOWN_SENTINEL },
      list: [1, UNKNOWN_SENTINEL],
      ...Object.fromEntries(sentinels.map((s, i) => [`u${i}`, s])),
    };
    const props = proxy.unknownCheckingProxy(raw);
    for (let i = 0; i < sentinels.length; i++) expect(peek(props, `u${i}`)).toBe(UNKNOWN);
    expect(peekPath(props, ["known", "deeper"])).toBe(UNKNOWN);
    expect(peekPath(props, ["list", 1])).toBe(UNKNOWN);
    expect(peekPath(props, ["list", 0])).toBe(1);
    // What a policy walks on its own still throws @pulumi/policy's error, which the pack turns into "can't run during preview".
    const known = peek(props, "known") as Record<string, unknown>;
    expect(() => known.deeper).toThrow(/can't be known during preview/);
    expect(peekPath(raw, ["known", "deeper"])).toBe(UNKNOWN);
  });

  it("decides an unknown from the wrapped value, without reading it through the proxy", () => {
    const wrapped = {
      [PROXY_TARGET]: { x: UNKNOWN_SENTINEL },
      get x(): never {
        throw new Error("read through the proxy");
      },
    };
    expect(peek(wrapped, "x")).toBe(UNKNOWN);
  });
});
