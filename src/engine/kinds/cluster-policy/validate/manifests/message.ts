/**
 * @module The signed message of a manifest signature (k8s-manifest-sigstore, as Kyverno's
 * `validate.manifests` reads it): the `<domain>/message` annotation is base64 of a gzip of either the
 * YAML itself or a tar.gz holding YAML files; the signature covers the gunzipped bytes.
 */
import { gunzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';

/** Gunzips `bytes`, or returns them unchanged when they are not gzip (k8s-manifest-sigstore GzipDecompress). */
export function gunzipOrSame(bytes: Uint8Array): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch {
    return bytes;
  }
}

/** The mappings among the YAML documents of `text`; undefined when it is not YAML. */
function yamlObjects(text: string): Record<string, unknown>[] | undefined {
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text);
  } catch {
    return undefined;
  }
  const out: Record<string, unknown>[] = [];
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    if (d.errors.length > 0) return undefined;
    const v = d.toJS();
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>);
  }
  return out;
}

/** Regular files of a (ustar or v7) tar archive. */
function tarFiles(tar: Uint8Array): Uint8Array[] {
  const files: Uint8Array[] = [];
  const text = (from: number, length: number) =>
    Buffer.from(tar.subarray(from, from + length))
      .toString('latin1')
      .replace(/\0[\s\S]*$/, '');
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(text(at + 124, 12).trim() || '0', 8);
    const type = text(at + 156, 1);
    const name = text(at, 100);
    const body = at + 512;
    if ((type === '0' || type === '') && !name.startsWith('..')) files.push(tar.subarray(body, body + size));
    at = body + Math.ceil(size / 512) * 512;
  }
  return files;
}

const isGzip = (b: Uint8Array) => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;

/**
 * The manifests a message holds (k8s-manifest-sigstore GetYAMLsInArtifact): the YAML documents of
 * the gunzipped message, or else of the YAML files in it as a tar.gz.
 */
export function messageManifests(gunzipped: Uint8Array): Record<string, unknown>[] {
  if (!isGzip(gunzipped)) return yamlObjects(Buffer.from(gunzipped).toString('utf8')) ?? [];
  let tar: Uint8Array;
  try {
    tar = gunzipSync(gunzipped);
  } catch {
    return [];
  }
  return tarFiles(tar).flatMap((f) => yamlObjects(Buffer.from(f).toString('utf8')) ?? []);
}
