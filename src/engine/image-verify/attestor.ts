/**
 * @module ImageValidatingPolicy attestors and attestations as the verification functions read them
 * (policies.kyverno.io v1beta1 `Attestor` / `Attestation`), from the plain objects CEL hands over.
 */

export interface Identity {
  readonly issuer?: string;
  readonly subject?: string;
  readonly issuerRegExp?: string;
  readonly subjectRegExp?: string;
}

export interface CosignAttestor {
  readonly key?: { readonly data?: string; readonly kms?: string; readonly hashAlgorithm?: string };
  readonly keyless?: { readonly identities?: readonly Identity[]; readonly roots?: string };
  readonly certificate?: {
    readonly cert?: { readonly value?: string };
    readonly certChain?: { readonly value?: string };
  };
  readonly ctlog?: {
    readonly url?: string;
    readonly insecureIgnoreTlog?: boolean;
    readonly insecureIgnoreSCT?: boolean;
  };
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface Attestor {
  readonly name: string;
  readonly cosign?: CosignAttestor;
  readonly notary?: Readonly<Record<string, unknown>>;
}

export interface Attestation {
  readonly name: string;
  readonly intoto?: { readonly type: string };
  readonly referrer?: { readonly type: string };
}

export class AttestorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttestorError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Reads one attestor; throws AttestorError when it is not an object with a name. */
export function toAttestor(v: unknown): Attestor {
  if (!isObject(v) || typeof v.name !== 'string')
    throw new AttestorError('an attestor must be an object with a name (use attestors.<name>)');
  return v as unknown as Attestor;
}

export function toAttestation(v: unknown): Attestation | undefined {
  if (!isObject(v) || typeof v.name !== 'string') return undefined;
  return v as unknown as Attestation;
}
