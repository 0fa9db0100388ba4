// The closed world binds each placeholder (a value the mock engine made up, see policies/plannedStack.ts)
// to the real stack's value once, then requires that value everywhere the plan reuses it. A resource
// name may carry characters that are special in a pattern ('.') or that URL-escaping changes (':'), and
// the id the mock engine makes from it carries them too.
import { describe, expect, it } from "vitest";
import { Binder, difference } from "../../policies/closedWorld.js";
import { UNKNOWN_SENTINEL } from "../../policies/resourceProps.js";

const placeholders = new Map([
  ["erp.bus_id", { origin: "the id of 'erp.bus'" }],
  ["app:1_id", { origin: "the id of 'app:1'" }],
]);

describe("closed-world placeholder binding", () => {
  it.each([
    ["erp.bus_id", "/subscriptions/s/namespaces/erp.bus"],
    ["app:1_id", "/subscriptions/s/sites/app-1"],
  ])("binds %s inside a longer value, then holds it to that value", (placeholder, real) => {
    const binder = Binder.of(placeholders);
    expect(binder.match(`${placeholder}/topics/t`, `${real}/topics/t`)).toBeUndefined();
    expect(binder.match(placeholder, real)).toBeUndefined();
    expect(binder.match(placeholder, `${real}-other`)).toBe(`is not ${placeholders.get(placeholder)!.origin}`);
  });

  it("does not read a '.' in a placeholder as any character", () => {
    const binder = Binder.of(placeholders);
    expect(binder.within("erpxbus_id")).toEqual([]);
    expect(binder.match("erpxbus_id", "something-else")).toBe("differs");
  });

  it("never binds two placeholders to one value", () => {
    const binder = Binder.of(placeholders);
    expect(binder.match("erp.bus_id", "real")).toBeUndefined();
    expect(binder.match("app:1_id", "real")).toBe("is the id of 'erp.bus', not the id of 'app:1'");
  });
});

describe("closed-world difference", () => {
  const binder = () => Binder.of(new Map());

  it("names the least unplanned key, as sorted key order would, whatever order the stack holds them in", () => {
    expect(difference({ a: 1 }, { zeta: 1, a: 1, beta: 2, Alpha: 3 }, binder(), "preview", "props")).toEqual([
      "props.Alpha",
      "is not planned",
    ]);
    expect(difference({ a: 1 }, { a: 1, b: 2 }, binder(), "preview", "")).toEqual(["b", "is not planned"]);
    expect(difference({ a: 1 }, { a: 1 }, binder(), "preview", "props")).toBeUndefined();
  });

  it("lets only the top level hold the tolerated outputs, and carries the unknown tolerance all the way down", () => {
    const tolerate = { outputs: { id: true }, unknowns: true };
    expect(difference({ a: 1 }, { a: 1, id: "x" }, binder(), "preview", "", tolerate)).toBeUndefined();
    expect(difference({ a: { b: 1 } }, { a: { b: 1, id: "x" } }, binder(), "preview", "", tolerate)).toEqual(["a.id", "is not planned"]);
    expect(difference({ a: { b: [UNKNOWN_SENTINEL] } }, { a: { b: [2] } }, binder(), "preview", "", tolerate)).toBeUndefined();
    expect(difference({ a: { b: [UNKNOWN_SENTINEL] } }, { a: { b: [2] } }, binder(), "preview", "")).toEqual([
      "a.b[0]",
      "is known, but in a preview of the plan it is not known yet",
    ]);
  });
});
