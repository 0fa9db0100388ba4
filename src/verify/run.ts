/**
 * verify for a list of customers: each loaded and planned exactly as `pulumi up` plans it, then checked
 * against the live services.
 */
import { parseAsOf } from "../facts/asOf.js";
import { loadCustomer } from "../plan/loadCustomer.js";
import { planCustomer } from "../plan/plan.js";
import { verifyExpected } from "./checks.js";
import { expectations } from "./expect.js";
import type { CustomerVerify, VerifyReport } from "./model.js";
import type { Services } from "./services.js";

export async function verifyCustomers(files: readonly string[], atOption: string | undefined, services: Services): Promise<VerifyReport> {
  const customers: CustomerVerify[] = [];
  for (const f of files) {
    const loaded = loadCustomer(f);
    const at = parseAsOf(atOption, loaded.spec.timezone);
    const plan = planCustomer(loaded.spec, loaded.catalog, at);
    const data = loaded.source.data as Record<string, unknown>;
    const expected = expectations(plan, at, loaded.source.locate, Object.hasOwn(data, "standingSupport"));
    customers.push({
      customer: loaded.spec.customer,
      file: loaded.file,
      at: at.toISOString(),
      checks: await verifyExpected(expected, services, at),
    });
  }
  return { customers };
}
