import type { LiteLlmSecretRef } from '../model';
import { check, checkDnsSubdomain } from '../../../core/validation';

/** True when a string looks like an API key or access key rather than a secret's name. */
export function looksLikeKey(value: string): boolean {
  return /^(sk|pk|rk|gsk|xai)[-_]/i.test(value)
    || /^A(KIA|SIA)[0-9A-Z]{12,}$/.test(value)
    || (value.length >= 32 && /[A-Z]/.test(value) && /[0-9]/.test(value));
}

/** Checks a secret reference of model `owner`, refusing literal keys. */
export function checkSecretRef(owner: string, ref: LiteLlmSecretRef | undefined, literalMessage: string): void {
  check(ref !== undefined && typeof ref === 'object', literalMessage);
  check(typeof ref.name === 'string' && typeof ref.key === 'string', literalMessage);
  check(!looksLikeKey(ref.name) && !looksLikeKey(ref.key), literalMessage);
  checkDnsSubdomain(`${owner} secret name`, ref.name);
  check(/^[-._a-zA-Z0-9]+$/.test(ref.key), `'key' (${ref.key}) of secret '${ref.name}' must consist of letters, digits, '-', '_' or '.'`);
}

