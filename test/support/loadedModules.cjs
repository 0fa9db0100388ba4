// Preloaded with `node --require` by test/startup.test.ts: when the CLI exits, writes the packages
// it loaded (one line each) to $PICO_LOADED_MODULES_FILE, read from Node's CommonJS module cache.
const { writeFileSync } = require("node:fs");
process.on("exit", () => {
  const packages = new Set();
  for (const file of Object.keys(require.cache)) {
    const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file);
    if (m) packages.add(m[1].replace(/\\/g, "/"));
  }
  writeFileSync(process.env.PICO_LOADED_MODULES_FILE, [...packages].sort().join("\n"));
});
