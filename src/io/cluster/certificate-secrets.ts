/**
 * @module The self-managed CA and serving certificate in Secrets of Palisade's namespace (as
 * Kyverno keeps them): `<service>.<namespace>.svc.palisade-tls-ca` holds the CA (`tls.crt`,
 * `tls.key`) and the CA bundle the webhooks trust (`ca.crt`: the current CA and any older one not
 * yet expired); `<service>.<namespace>.svc.palisade-tls-pair` holds the serving pair. The leader
 * rotates them (engine certificatePlan decides when); every replica serves the pair it reads.
 * Writes carry the read resourceVersion, so two writers never overwrite each other unseen.
 */
import {
  type CertificatePlan,
  caBundleMembers,
  certificatePlan,
  DEFAULT_VALIDITY,
  MANAGED_BY_LABEL,
} from '../../engine/index.js';
import {
  type CertificateInfo,
  createCa,
  createServingCertificate,
  type KeyPairPem,
  readCertificate,
  signedBy,
  splitPem,
} from './certificates.js';
import { isNotFound, type KubeRest } from './kube-rest.js';

export interface SecretNames {
  readonly ca: string;
  readonly pair: string;
}

export function certificateSecretNames(service: string, namespace: string): SecretNames {
  const base = `${service}.${namespace}.svc`;
  return { ca: `${base}.palisade-tls-ca`, pair: `${base}.palisade-tls-pair` };
}

interface Secret {
  metadata?: { name?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const unb64 = (text: string | undefined): string => Buffer.from(text ?? '', 'base64').toString('utf8');

const secretPath = (namespace: string, name?: string): string =>
  `/api/v1/namespaces/${namespace}/secrets${name !== undefined ? `/${name}` : ''}`;

async function readSecret(rest: KubeRest, namespace: string, name: string): Promise<Secret | undefined> {
  try {
    return await rest.get<Secret>(secretPath(namespace, name));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function writeSecret(
  rest: KubeRest,
  namespace: string,
  name: string,
  data: Record<string, string>,
  resourceVersion: string | undefined,
): Promise<void> {
  const body = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: {
      name,
      namespace,
      labels: { ...MANAGED_BY_LABEL },
      ...(resourceVersion !== undefined ? { resourceVersion } : {}),
    },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  };
  if (resourceVersion === undefined) await rest.post(secretPath(namespace), body);
  else await rest.put(secretPath(namespace, name), body);
}

export interface ServingPair {
  readonly certPem: string;
  readonly keyPem: string;
  /** Changes whenever the Secret does. */
  readonly resourceVersion: string;
}

/** The serving pair as stored, or undefined while the leader has not written it yet. */
export async function readServingPair(
  rest: KubeRest,
  namespace: string,
  names: SecretNames,
): Promise<ServingPair | undefined> {
  const s = await readSecret(rest, namespace, names.pair);
  const certPem = unb64(s?.data?.['tls.crt']);
  const keyPem = unb64(s?.data?.['tls.key']);
  if (s === undefined || certPem === '' || keyPem === '') return undefined;
  return { certPem, keyPem, resourceVersion: s.metadata?.resourceVersion ?? '' };
}

/** The CA bundle (PEM) the webhook configurations must carry; undefined before the CA exists. */
export async function readCaBundle(
  rest: KubeRest,
  namespace: string,
  names: SecretNames,
): Promise<string | undefined> {
  const s = await readSecret(rest, namespace, names.ca);
  const bundle = unb64(s?.data?.['ca.crt']);
  return bundle === '' ? undefined : bundle;
}

export interface RotationOptions {
  readonly rest: KubeRest;
  readonly namespace: string;
  readonly names: SecretNames;
  /** Every name the webhook is called by (webhookNames). */
  readonly hostNames: readonly string[];
  readonly validity?: { readonly caMs: number; readonly servingMs: number };
  /** Wall clock (ms); injected in tests. */
  readonly now?: () => number;
}

export interface RotationResult extends CertificatePlan {
  readonly caBundle: string;
}

function tryRead(pem: string): CertificateInfo | undefined {
  try {
    return pem === '' ? undefined : readCertificate(pem);
  } catch {
    return undefined;
  }
}

/**
 * One rotation step: reads both Secrets, asks the engine what is due, writes what it must.
 * `caPublished(pem)` says whether the webhook configurations already trust that CA.
 */
export async function rotateCertificates(
  options: RotationOptions,
  caPublished: (caPem: string) => boolean,
): Promise<RotationResult> {
  const { rest, namespace, names } = options;
  const now = (options.now ?? Date.now)();
  const validity = options.validity ?? DEFAULT_VALIDITY;
  const caSecret = await readSecret(rest, namespace, names.ca);
  const pairSecret = await readSecret(rest, namespace, names.pair);
  let ca: KeyPairPem | undefined;
  const caCertPem = unb64(caSecret?.data?.['tls.crt']);
  const caKeyPem = unb64(caSecret?.data?.['tls.key']);
  const caInfo = caKeyPem !== '' ? tryRead(caCertPem) : undefined;
  if (caInfo !== undefined) ca = { certPem: caCertPem, keyPem: caKeyPem };
  const bundle = splitPem(unb64(caSecret?.data?.['ca.crt'])).flatMap((p) => tryRead(p) ?? []);
  const leaf = tryRead(unb64(pairSecret?.data?.['tls.crt']));
  const plan = certificatePlan({
    now,
    ...(caInfo !== undefined ? { ca: caInfo } : {}),
    ...(leaf !== undefined && unb64(pairSecret?.data?.['tls.key']) !== ''
      ? {
          serving: {
            notBefore: leaf.notBefore,
            notAfter: leaf.notAfter,
            signedByCurrentCa: caInfo !== undefined && signedBy(leaf, caInfo),
            coversNames: options.hostNames.every((n) => leaf.names.includes(n)),
          },
        }
      : {}),
    caPublished: caInfo !== undefined && caPublished(caInfo.pem),
  });
  let caBundle = bundle.map((c) => c.pem).join('');
  if (plan.newCa) {
    ca = createCa(`palisade-ca-${Math.floor(now / 1000)}`, now, validity.caMs);
    const members = caBundleMembers(
      [readCertificate(ca.certPem), ...bundle, ...(caInfo !== undefined ? [caInfo] : [])],
      now,
    );
    caBundle = members.map((c) => c.pem).join('');
    await writeSecret(
      rest,
      namespace,
      names.ca,
      { 'tls.crt': ca.certPem, 'tls.key': ca.keyPem, 'ca.crt': caBundle },
      caSecret?.metadata?.resourceVersion,
    );
  }
  if (plan.newServing && ca !== undefined) {
    const pair = createServingCertificate(ca, options.hostNames, now, validity.servingMs);
    await writeSecret(
      rest,
      namespace,
      names.pair,
      { 'tls.crt': pair.certPem, 'tls.key': pair.keyPem },
      pairSecret?.metadata?.resourceVersion,
    );
  }
  return { ...plan, caBundle };
}
