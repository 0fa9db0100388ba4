/**
 * `diff` previews each side in long-lived workers (src/preview/sidePreview.ts through the audit
 * worker). Their answers must be what `pico-monitoring preview <customer> --json --at` prints and
 * exits with, since the diff reads both alike; checked against the built CLI itself.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WorkerPool } from "../src/preview/workerPool.js";
import { sidePreviewProtocol, type SidePreviewAnswer, type SidePreviewRequest } from "../src/preview/sidePreview.js";
import { repoRoot, runCli } from "./support/cli.js";

const at = "2027-01-10T12:00:00Z";
const pool = new WorkerPool<SidePreviewRequest, SidePreviewAnswer>(join(repoRoot, "dist", "src", "audit", "worker.js"), {
  jobs: 1,
  cwd: repoRoot,
  timeoutMs: 120_000,
});
afterAll(() => pool.close());
const ask = (customer: string) => pool.request({ type: "preview", protocol: sidePreviewProtocol, customer, at });

describe("side previews in a worker", () => {
  it("answer what the preview command prints, again and again from one worker", async () => {
    const cli = runCli(["preview", "havblik", "--json", "--at", at]);
    // The second preview in the same worker starts from a clean Pulumi runtime.
    for (let i = 0; i < 2; i++) {
      const answer = await ask("havblik");
      expect(answer.stdout).toBe(cli.stdout);
      expect(answer.code).toBe(cli.code);
    }
  });

  it("answer an unknown customer as the command does: exit 2 and its one line", async () => {
    const cli = runCli(["preview", "no-such-customer", "--json", "--at", at]);
    const answer = await ask("no-such-customer");
    expect(answer.code).toBe(2);
    expect(answer).toMatchObject({ code: cli.code, stdout: "", stderr: cli.stderr });
  });
});
