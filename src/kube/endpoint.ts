/** kube-apiserver's default secure port, used when an endpoint names no port. */
export const DEFAULT_API_PORT = 6443;

/** A control-plane endpoint split into host and port. */
export interface ApiEndpoint {
  /** IP address or DNS name, without brackets for IPv6. */
  host: string;
  port: number;
}

/**
 * Splits a controlPlaneEndpoint ("host", "host:port", "[v6]:port") into host and port,
 * defaulting the port to 6443. Throws when the port is not 1–65535 or the host is
 * empty: the profile rules validate the endpoint, so reaching here with one is a bug.
 */
export function parseEndpoint(endpoint: string): ApiEndpoint {
  let host = endpoint;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(endpoint);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
  } else if ((endpoint.match(/:/g) ?? []).length === 1) {
    // Exactly one colon means host:port; more would be a bare IPv6 address.
    const i = endpoint.lastIndexOf(':');
    host = endpoint.slice(0, i);
    portText = endpoint.slice(i + 1);
  }
  const port = portText === undefined ? DEFAULT_API_PORT : Number(portText);
  const badHost = host === '' || /[[\]]/.test(host);
  const badPort = (portText !== undefined && !/^\d+$/.test(portText)) || !Number.isInteger(port) || port < 1 || port > 65535;
  if (badHost || badPort) {
    throw new Error(`malformed control-plane endpoint "${endpoint}"`);
  }
  return { host, port };
}
