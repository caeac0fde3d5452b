/**
 * @module When the self-managed CA and serving certificate are renewed (pure; the clock is given).
 * Each is renewed at two thirds of its life, so a renewal has a third of the lifetime to succeed
 * before anything expires. A new CA goes into the caBundle next to the old one (the bundle keeps
 * every CA not yet expired); the serving certificate is reissued by the new CA only once that
 * bundle is published in the webhook configurations, so the API server trusts the new certificate
 * before any replica serves it. Without any certificate yet, both are made at once (nothing is
 * served or registered before).
 */

export interface CertificateTimes {
  readonly notBefore: number;
  readonly notAfter: number;
}

export interface ServingCertificateState extends CertificateTimes {
  /** Issued by the current CA (its issuer and signature check against it). */
  readonly signedByCurrentCa: boolean;
  /** Its names cover every name the webhook is called by. */
  readonly coversNames: boolean;
}

export interface CertificatePlanInput {
  readonly now: number;
  readonly ca?: CertificateTimes;
  readonly serving?: ServingCertificateState;
  /** The current CA is in the caBundle the webhook configurations were last written with. */
  readonly caPublished: boolean;
}

export interface CertificatePlan {
  readonly newCa: boolean;
  readonly newServing: boolean;
  /** Why, for the log. */
  readonly reasons: readonly string[];
}

export const RENEW_AT_FRACTION = 2 / 3;

export const DEFAULT_VALIDITY = {
  caMs: 365 * 24 * 3600_000,
  servingMs: 90 * 24 * 3600_000,
} as const;

/** The instant a certificate should be renewed: two thirds into its validity. */
export function renewalTime(c: CertificateTimes): number {
  return c.notBefore + (c.notAfter - c.notBefore) * RENEW_AT_FRACTION;
}

export function certificatePlan(input: CertificatePlanInput): CertificatePlan {
  const reasons: string[] = [];
  const { ca, serving, now } = input;
  let newCa = false;
  if (ca === undefined) {
    newCa = true;
    reasons.push('no CA yet');
  } else if (now >= renewalTime(ca)) {
    newCa = true;
    reasons.push('the CA is two thirds through its life');
  }
  let servingDue: string | undefined;
  if (serving === undefined) servingDue = 'no serving certificate yet';
  else if (!serving.signedByCurrentCa) servingDue = 'the serving certificate is not signed by the current CA';
  else if (!serving.coversNames) servingDue = 'the serving certificate does not cover the webhook names';
  else if (now >= renewalTime(serving)) servingDue = 'the serving certificate is two thirds through its life';
  // Bootstrap makes both; otherwise the new CA must be trusted (published) before it signs what is served.
  const newServing = servingDue !== undefined && (serving === undefined || (!newCa && input.caPublished));
  if (servingDue !== undefined)
    reasons.push(newServing ? servingDue : `${servingDue} (waiting for the CA bundle to be published)`);
  return { newCa, newServing, reasons };
}

/** The CAs the webhooks must trust now: those not expired, newest first, each once. */
export function caBundleMembers<T extends CertificateTimes & { readonly pem: string }>(
  cas: readonly T[],
  now: number,
): T[] {
  const seen = new Set<string>();
  return [...cas]
    .filter((c) => c.notAfter > now)
    .sort((a, b) => b.notBefore - a.notBefore)
    .filter((c) => {
      const key = c.pem.trim();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
