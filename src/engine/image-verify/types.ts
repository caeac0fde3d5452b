/**
 * @module The signature material of one image as the engine receives it offline (through the
 * `imageData` port): what a registry would answer for `cosign verify` / `cosign verify-attestation`
 * — the manifest digest, cosign "simple signing" signatures and DSSE-enveloped in-toto attestations.
 */

/** One cosign signature: the exact signed payload bytes and the base64 signature over them. */
export interface OfflineSignature {
  /** The signed simple-signing payload (JSON text exactly as signed). */
  readonly payload: string;
  /** Base64 signature over `payload`. */
  readonly signature: string;
  /** PEM signing certificate (keyless / certificate signatures). */
  readonly certificate?: string;
  /** PEM intermediates (and optionally the root) that issued `certificate`. */
  readonly chain?: string;
}

/** One DSSE envelope as `cosign download attestation` prints it, plus its signing certificate. */
export interface OfflineAttestation {
  readonly payloadType: string;
  /** Base64 of the in-toto statement. */
  readonly payload: string;
  readonly signatures: readonly { readonly keyid?: string; readonly sig: string }[];
  readonly certificate?: string;
  readonly chain?: string;
}

export interface ImageVerificationData {
  /** Manifest digest (`sha256:…`) the reference resolves to; a digest in the reference wins. */
  readonly digest?: string;
  readonly signatures: readonly OfflineSignature[];
  readonly attestations: readonly OfflineAttestation[];
}

export type ImageVerificationAnswer =
  | { readonly ok: true; readonly data: ImageVerificationData }
  | { readonly ok: false; readonly error: string };
