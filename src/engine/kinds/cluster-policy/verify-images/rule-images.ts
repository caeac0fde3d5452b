/**
 * @module The images a verifyImages rule looks at (Kyverno pkg/utils/api/image.go and
 * engine/utils ExtractMatchingImages): the standard extractors of Pods and pod controllers
 * (initContainers, containers, ephemeralContainers under the pod spec), or the rule's
 * `imageExtractors` for the resource's kind (`path` with `*` wildcards, `value`, `key`, `name`,
 * `jmesPath`). Each image keeps the JSON pointer it came from (for digest patches). Kyverno iterates
 * Go maps here; Palisade keeps extractor and document order.
 */
import { searchJmespath } from '../../../jmespath/evaluate.js';
import { isMap } from '../../../model/json-map.js';
import type { KubeObject } from '../../../model/kube-object.js';
import { type ImageInfo, parseImageReferenceDetailed } from '../../../units/image-reference.js';
import { wildcardMatch } from '../../../units/wildcard.js';
import type { Rule } from '../types.js';
import type { ImageVerification } from './image-verification.js';

export interface RuleImage {
  readonly info: ImageInfo;
  /** JSON pointer to the image value (`/spec/containers/0/image`). */
  readonly pointer: string;
  /** Extractor name: `containers`, `initContainers`, `ephemeralContainers` or a custom name. */
  readonly group: string;
}

interface Extractor {
  readonly fields: readonly string[];
  readonly key: string;
  readonly value: string;
  readonly name: string;
  readonly jmesPath: string;
}

const LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

function standard(...prefix: string[]): Extractor[] {
  return LISTS.map((list) => ({
    fields: [...prefix, list, '*'],
    key: 'name',
    value: 'image',
    name: list,
    jmesPath: '',
  }));
}

const POD = standard('spec');
const CONTROLLER = standard('spec', 'template', 'spec');
const REGISTERED: Readonly<Record<string, readonly Extractor[]>> = {
  Pod: POD,
  DaemonSet: CONTROLLER,
  Deployment: CONTROLLER,
  ReplicaSet: CONTROLLER,
  ReplicationController: CONTROLLER,
  StatefulSet: CONTROLLER,
  Job: CONTROLLER,
  CronJob: standard('spec', 'jobTemplate', 'spec', 'template', 'spec'),
};

/** Thrown for an image or extractor configuration Kyverno rejects (the rule becomes an error). */
export class ImageExtractionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageExtractionError';
  }
}

function customExtractors(config: unknown): Extractor[] {
  if (!Array.isArray(config)) return [];
  return config.map((c: Record<string, unknown>) => {
    let fields = String(c?.path ?? '')
      .split('/')
      .map((f) => f.trim())
      .filter((f) => f !== '');
    let value = typeof c?.value === 'string' ? c.value : '';
    if (value === '') {
      value = fields[fields.length - 1] ?? '';
      fields = fields.slice(0, -1);
    }
    return {
      fields,
      key: typeof c?.key === 'string' ? c.key : '',
      value,
      name: typeof c?.name === 'string' && c.name !== '' ? c.name : 'custom',
      jmesPath: typeof c?.jmesPath === 'string' ? c.jmesPath : '',
    };
  });
}

function extract(obj: unknown, path: string[], ex: Extractor, fields: readonly string[], out: RuleImage[]) {
  if (obj === undefined || obj === null) return;
  if (fields[0] === '*') {
    if (Array.isArray(obj)) {
      for (const [i, v] of obj.entries()) extract(v, [...path, String(i)], ex, fields.slice(1), out);
    } else if (isMap(obj)) {
      for (const [k, v] of Object.entries(obj)) extract(v, [...path, k], ex, fields.slice(1), out);
    } else throw new ImageExtractionError('invalid type');
    return;
  }
  if (!isMap(obj)) throw new ImageExtractionError('invalid image config');
  if (fields.length > 0) {
    const [head, ...rest] = fields as [string, ...string[]];
    extract(obj[head], [...path, head], ex, rest, out);
    return;
  }
  const pointer = `/${path.join('/')}/${ex.value}`;
  if (ex.key !== '' && typeof obj[ex.key] !== 'string') throw new ImageExtractionError('invalid key');
  let value = obj[ex.value];
  if (typeof value !== 'string' || value.trim() === '') return;
  if (ex.jmesPath !== '') {
    let result: unknown;
    try {
      result = searchJmespath(ex.jmesPath, value);
    } catch (e) {
      throw new ImageExtractionError(
        `failed to apply jmespath ${ex.jmesPath}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (typeof result !== 'string')
      throw new ImageExtractionError(
        `jmespath ${ex.jmesPath} must produce a string, but produced ${JSON.stringify(result)}`,
      );
    value = result;
  }
  const parsed = parseImageReferenceDetailed(value as string);
  if (!parsed.ok) throw new ImageExtractionError(`invalid image '${String(value)}' (${parsed.error})`);
  out.push({ info: parsed.info, pointer, group: ex.name });
}

function extractorsFor(kind: string, imageExtractors: unknown): readonly Extractor[] | undefined {
  if (isMap(imageExtractors) && imageExtractors[kind] !== undefined)
    return customExtractors(imageExtractors[kind]);
  return REGISTERED[kind];
}

/**
 * The images of `resource` (Kyverno ExtractImagesFromResource): the rule's `imageExtractors` for its
 * kind, else the standard ones; none for other kinds. Throws ImageExtractionError.
 */
export function extractRuleImages(resource: KubeObject, imageExtractors?: unknown): RuleImage[] {
  const extractors = extractorsFor(resource.kind ?? '', imageExtractors);
  if (extractors === undefined) return [];
  if (extractors.length === 0) throw new ImageExtractionError(`no extractors found for ${resource.kind}`);
  const out: RuleImage[] = [];
  for (const ex of extractors) extract(resource, [], ex, ex.fields, out);
  return out;
}

/** Kyverno ImageMatches: some pattern (with `*`/`?` wildcards) matches the image reference. */
export function imageMatches(image: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => wildcardMatch(p, image));
}

/**
 * Kyverno GetMatchingImages: every image matching some entry's `imageReferences`, once per entry it
 * matches (as Kyverno lists them).
 */
export function matchingImages(
  images: readonly RuleImage[],
  entries: readonly ImageVerification[],
): RuleImage[] {
  const out: RuleImage[] = [];
  for (const image of images)
    for (const iv of entries) if (imageMatches(image.info.reference, iv.imageReferences)) out.push(image);
  return out;
}

/**
 * The rule's matching images in `resource`. Throws ImageExtractionError for the rule's own
 * `imageExtractors` only: without them Kyverno reads the context's images, whose loader's error
 * (a pod spec or container that is not a mapping) leaves no images, so the rule does not apply.
 */
export function ruleImages(
  rule: Rule,
  resource: KubeObject,
  entries: readonly ImageVerification[],
): RuleImage[] {
  if (rule.imageExtractors != null)
    return matchingImages(extractRuleImages(resource, rule.imageExtractors), entries);
  try {
    return matchingImages(extractRuleImages(resource), entries);
  } catch (err) {
    if (err instanceof ImageExtractionError) return [];
    throw err;
  }
}
