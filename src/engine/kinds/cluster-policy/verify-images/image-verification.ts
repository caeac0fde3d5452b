/**
 * @module One `verifyImages` entry of a ClusterPolicy/Policy rule (kyverno.io/v1 ImageVerification)
 * as the engine reads it: the deprecated single-key fields converted the way Kyverno's `Convert()`
 * does (`image` → `imageReferences`, `key`/`issuer` → one attestor set) and the CRD defaults the CLI's
 * loader fills in (`mutateDigest`, `verifyDigest`, `required`, `useCache` true; `type` Cosign).
 */
import type { JsonObject } from '../../../model/kube-object.js';
import type { Conditions, Rule } from '../types.js';

export interface LegacyRekor {
  readonly url?: string;
  readonly pubkey?: string;
  readonly ignoreTlog?: boolean;
}

export interface LegacyCtlog {
  readonly ignoreSCT?: boolean;
  readonly pubkey?: string;
  readonly tsaCertChain?: string;
}

/** kyverno.io/v1 Attestor: exactly one of keys, certificates, keyless or a nested attestor set. */
export interface LegacyAttestor {
  readonly keys?: {
    readonly publicKeys?: string;
    readonly signatureAlgorithm?: string;
    readonly kms?: string;
    readonly secret?: { readonly name?: string; readonly namespace?: string };
    readonly rekor?: LegacyRekor;
    readonly ctlog?: LegacyCtlog;
  };
  readonly certificates?: {
    readonly cert?: string;
    readonly certChain?: string;
    readonly rekor?: LegacyRekor;
    readonly ctlog?: LegacyCtlog;
  };
  readonly keyless?: {
    readonly issuer?: string;
    readonly issuerRegExp?: string;
    readonly subject?: string;
    readonly subjectRegExp?: string;
    readonly roots?: string;
    readonly rekor?: LegacyRekor;
    readonly ctlog?: LegacyCtlog;
  };
  readonly attestor?: LegacyAttestorSet;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly repository?: string;
  readonly signatureAlgorithm?: string;
}

export interface LegacyAttestorSet {
  readonly count?: number;
  readonly entries?: readonly LegacyAttestor[];
}

export interface LegacyAttestation {
  readonly name?: string;
  readonly type?: string;
  /** Deprecated spelling of `type`. */
  readonly predicateType?: string;
  readonly attestors?: readonly LegacyAttestorSet[];
  readonly conditions?: readonly Conditions[];
}

export interface ImageVerification {
  readonly failureAction?: string;
  readonly type: 'Cosign' | 'SigstoreBundle' | 'Notary';
  readonly imageReferences: readonly string[];
  readonly skipImageReferences: readonly string[];
  readonly attestors: readonly LegacyAttestorSet[];
  readonly attestations: readonly LegacyAttestation[];
  readonly repository?: string;
  readonly mutateDigest: boolean;
  readonly verifyDigest: boolean;
  readonly required: boolean;
  readonly useCache: boolean;
  readonly validate?: { readonly message?: string; readonly deny?: { readonly conditions?: Conditions } };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The entry as Kyverno evaluates it (Convert() plus CRD defaults). */
export function normalizeImageVerification(raw: JsonObject): ImageVerification {
  const image = str(raw.image);
  const key = str(raw.key);
  const issuer = str(raw.issuer);
  const annotations = raw.annotations as Record<string, string> | undefined;
  const attestors = [...((raw.attestors as LegacyAttestorSet[] | undefined) ?? [])];
  let attestations = [...((raw.attestations as LegacyAttestation[] | undefined) ?? [])];
  const references = strings(raw.imageReferences);
  if (image !== '' || key !== '' || issuer !== '') {
    if (image !== '') references.push(image);
    if ((annotations !== undefined && Object.keys(annotations).length > 0) || key !== '' || issuer !== '') {
      const entry: LegacyAttestor = {
        ...(annotations !== undefined ? { annotations } : {}),
        ...(key !== ''
          ? { keys: { publicKeys: key } }
          : issuer !== ''
            ? { keyless: { issuer, subject: str(raw.subject), roots: str(raw.roots) } }
            : {}),
      };
      const set: LegacyAttestorSet = { entries: [entry] };
      if (attestations.length > 0)
        attestations = attestations.map((a) => ({ ...a, attestors: [...(a.attestors ?? []), set] }));
      else attestors.push(set);
    }
  }
  const type = raw.type === 'Notary' || raw.type === 'SigstoreBundle' ? raw.type : 'Cosign';
  return {
    ...(typeof raw.failureAction === 'string' ? { failureAction: raw.failureAction } : {}),
    type,
    imageReferences: references,
    skipImageReferences: strings(raw.skipImageReferences),
    attestors,
    attestations,
    ...(typeof raw.repository === 'string' && raw.repository !== '' ? { repository: raw.repository } : {}),
    mutateDigest: raw.mutateDigest !== false,
    verifyDigest: raw.verifyDigest !== false,
    required: raw.required !== false,
    useCache: raw.useCache !== false,
    ...(raw.validate !== undefined && raw.validate !== null
      ? { validate: raw.validate as NonNullable<ImageVerification['validate']> }
      : {}),
  };
}

const normalized = new WeakMap<Rule, readonly ImageVerification[]>();

/** The rule's verifyImages entries, normalised once per rule object. */
export function imageVerificationsOf(rule: Rule): readonly ImageVerification[] {
  let list = normalized.get(rule);
  if (list === undefined) {
    list = (rule.verifyImages ?? []).filter(isNonEmpty).map(normalizeImageVerification);
    normalized.set(rule, list);
  }
  return list;
}

function isNonEmpty(v: JsonObject): boolean {
  return v !== null && typeof v === 'object' && Object.keys(v).length > 0;
}

/** Kyverno `Rule.HasVerifyImages`: some entry is not empty. */
export function hasVerifyImages(rule: Rule): boolean {
  return (rule.verifyImages ?? []).some(isNonEmpty);
}

/** Kyverno `Rule.HasVerifyImageChecks`: some entry checks digests or requires verification. */
export function hasVerifyImageChecks(rule: Rule): boolean {
  return imageVerificationsOf(rule).some((iv) => iv.verifyDigest || iv.required);
}
