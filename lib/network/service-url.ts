import { FlowPeer, FlowPort } from './flow';
import { check, checkLiteral } from '../core/validation';

/** Where a URL a workload is configured with leads, as a flow destination. */
export interface UrlDestination {
  /** Every pod of the Service's namespace for an in-cluster Service URL, else the internet. */
  readonly peer: FlowPeer;
  /** The URL's port (80 / 443 by scheme when it names none). */
  readonly ports: FlowPort[];
}

const URL_PATTERN = /^(https?):\/\/([^\s/:?#]+)(?::(\d+))?(?:[/?#]\S*)?$/;
const SERVICE_HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?$/;

/**
 * The flow destination of a URL: `http://<service>.<namespace>.svc[.cluster.local][:port]/...` is every pod of that
 * namespace on the URL's port (the Service's port, which the library's Services map to the same container port);
 * any other host is {@link FlowPeer.internet} on the URL's port. Derived from the very URL the workload is
 * configured with, so the declared flow cannot point elsewhere than the traffic.
 */
export function urlDestination(prop: string, url: string): UrlDestination {
  checkLiteral(prop, url);
  const m = URL_PATTERN.exec(url);
  check(m !== null, `'${prop}' (${url}) must be an http:// or https:// URL`);
  const port = m[3] !== undefined ? Number(m[3]) : (m[1] === 'https' ? 443 : 80);
  const service = SERVICE_HOST.exec(m[2]);
  if (service !== null) return { peer: FlowPeer.inNamespace(service[2]), ports: [FlowPort.tcp(port)] };
  return { peer: FlowPeer.internet(), ports: [FlowPort.tcp(port)] };
}
