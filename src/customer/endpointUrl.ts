/**
 * An availability test probes from Azure's test locations over the internet: a URL that names this
 * machine, a private network or no real host probes nothing and alerts forever. Address ranges are
 * the IANA special-purpose IPv4 registry's (RFC 6890): loopback, private (RFC 1918), shared
 * (RFC 6598), link-local (RFC 3927), "this network", documentation and benchmarking.
 */
const specialIpv4: [prefix: string, bits: number, what: string][] = [
  ["0.0.0.0", 8, "'this network'"],
  ["10.0.0.0", 8, "a private"],
  ["100.64.0.0", 10, "a shared (carrier-grade NAT)"],
  ["127.0.0.0", 8, "a loopback"],
  ["169.254.0.0", 16, "a link-local"],
  ["172.16.0.0", 12, "a private"],
  ["192.0.2.0", 24, "a documentation"],
  ["192.168.0.0", 16, "a private"],
  ["198.18.0.0", 15, "a benchmarking"],
  ["198.51.100.0", 24, "a documentation"],
  ["203.0.113.0", 24, "a documentation"],
  ["224.0.0.0", 3, "a multicast or reserved"],
];

const ipv4 = (s: string) => s.split(".").reduce((n, o) => n * 256 + Number(o), 0);

/** Why the URL can't be probed from the internet, or undefined. Runs after the https:// pattern. */
export function endpointUrlProblem(url: string): string | undefined {
  const m = /^https:\/\/([^/:?]*)(?::(\d+))?/.exec(url);
  if (!m) return undefined;
  const [, host = "", port] = m;
  if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) return `port ${port} is out of range; ports run from 1 to 65535`;
  if (/^\d+(\.\d+){3}$/.test(host)) {
    if (host.split(".").some((o) => Number(o) > 255)) return `'${host}' is not an IPv4 address`;
    const n = ipv4(host);
    const hit = specialIpv4.find(([p, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(ipv4(p) / 2 ** (32 - bits)));
    if (hit) return `'${host}' is ${hit[2]} address (${hit[0]}/${hit[1]}); the availability test probes from the internet`;
    return undefined;
  }
  const labels = host.replace(/\.$/, "").split(".");
  if (labels.some((l) => l === "" || l.startsWith("-") || l.endsWith("-"))) return `'${host}' is not a host name`;
  if (labels.at(-1) === "localhost" || labels.at(-1) === "local" || labels.at(-1) === "internal") {
    return `'${host}' names a local host; the availability test probes from the internet`;
  }
  if (labels.length < 2 || !/^[a-z]{2,63}$/.test(labels.at(-1)!)) return `'${host}' is not a public host name (no top-level domain)`;
  return undefined;
}
