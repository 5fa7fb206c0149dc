import { Token } from 'aws-cdk-lib';

/**
 * Error thrown at synth time for input that cannot work. The message names the prop, the value received and what is
 * allowed, so it can be fixed without reading the library's code.
 */
export class PlatformValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformValidationError';
  }
}

/** Throws a {@link PlatformValidationError} with `message` unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new PlatformValidationError(message);
  }
}

/** Renders a value for an error message: strings quoted-free, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  return JSON.stringify(value);
}

/** True when the value is a CDK token, which the library passes through without checks. */
export function isToken(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number' || Array.isArray(value)) && Token.isUnresolved(value);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Checks a Kubernetes DNS-1123 label (namespaces, Service names): lower case, digits and '-', at most 63 characters. */
export function checkDnsLabel(prop: string, value: string): void {
  if (isToken(value)) {
    throw new PlatformValidationError(
      `'${prop}' must be a literal string, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens`,
    );
  }
  check(
    DNS_LABEL.test(value),
    `'${prop}' (${value}) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit`,
  );
}

/** Checks a Kubernetes object name (DNS-1123 subdomain). */
export function checkDnsSubdomain(prop: string, value: string): void {
  if (isToken(value)) {
    throw new PlatformValidationError(
      `'${prop}' must be a literal string, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens`,
    );
  }
  check(
    DNS_SUBDOMAIN.test(value),
    `'${prop}' (${value}) must be a DNS subdomain: 1-253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit`,
  );
}

/** Checks that a string is usable in a manifest: a literal (no token) and not empty. */
export function checkLiteral(prop: string, value: string): void {
  check(
    !isToken(value),
    `'${prop}' must be a literal string, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens`,
  );
  check(value.trim().length > 0, `'${prop}' must not be empty`);
}
