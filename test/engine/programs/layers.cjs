// A test-only Pulumi program for the engine tier: one PagerDuty schedule whose layers are the windows that
// end after the stack config `notBefore` (as the roster's as-of leaves out ended windows). The test sets the
// windows itself (`windows`, JSON), so that one of them can end a minute from now and the real provider's
// own clock (flattenScheduleLayers compares each layer's end with time.Now()) can be watched dropping it.
const pulumi = require("@pulumi/pulumi");
const { Schedule } = require("@pulumi/pagerduty/schedule");
const { getUserOutput } = require("@pulumi/pagerduty/getUser");

const config = new pulumi.Config();
const notBefore = Date.parse(config.require("notBefore"));
const windows = JSON.parse(config.require("windows")).filter((w) => Date.parse(w.end) > notBefore);
const user = getUserOutput({ email: config.require("user") }).id;
new Schedule("shift-test", {
  name: "shift-test",
  timeZone: "Europe/Copenhagen",
  layers: windows.map((w) => ({
    name: w.name,
    start: w.start,
    end: w.end,
    rotationVirtualStart: w.start,
    rotationTurnLengthSeconds: 86400,
    users: [user],
  })),
});
