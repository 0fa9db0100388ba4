// Preloaded with `node --require` into policy-pack processes the tests start (./closedWorld.ts
// `clockAt`): the process's clock reads $PICO_TEST_CLOCK_AT at start-up and ticks on from there, as a
// machine whose clock was set to that time would. The pack has no setting for its clock (under the
// CLI it is the real time); this only lets a test about a fixed as-of stay true whatever day it runs.
const at = Date.parse(process.env.PICO_TEST_CLOCK_AT ?? "");
if (!Number.isNaN(at)) {
  const RealDate = Date;
  const offset = at - RealDate.now();
  class ClockAt extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ClockAt;
}
