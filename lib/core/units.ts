import { Duration } from 'aws-cdk-lib';

/** A Kubernetes / Go duration string (`720h`, `5m`, `30s`) for a CDK `Duration`, in the largest exact unit. */
export function goDuration(d: Duration): string {
  const s = d.toSeconds();
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}
