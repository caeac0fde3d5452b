/**
 * @module The validating half of a verifyImages rule (Kyverno handlers/validation/validate_image.go),
 * run with the policy's validate rules on the object the verification left (digests pinned,
 * annotations written): for every Pod-spec image matching an entry's `imageReferences`,
 * `verifyDigest` fails an image without a digest ("missing digest for <image>") and `required` fails
 * one the policy's rule did not verify ("unverified image <image>", read from the
 * `kyverno.io/verify-images-scoped` annotation). Otherwise the rule passes ("image verified"), or
 * is skipped when every image it looked at was skipped.
 */
import type { KubeObject } from '../../../model/kube-object.js';
import { errorMessage, ruleResult } from '../../../verdict/rule-result.js';
import type { RuleResult } from '../../../verdict/types.js';
import type { Rule } from '../types.js';
import { imageVerificationsOf } from './image-verification.js';
import { scopedVerificationStatus } from './metadata.js';
import { extractRuleImages, imageMatches } from './rule-images.js';

export interface ImageChecksEnv {
  readonly rule: Rule;
  /** The object as verification left it. */
  readonly resource: KubeObject;
  readonly policyName: string;
  readonly policyNamespace?: string;
}

/** Runs the checks; the caller has found matching images and handled exceptions. Never throws. */
export function imageChecksRule(env: ImageChecksEnv): RuleResult {
  const { rule, resource } = env;
  // Kyverno reads the request's standard images here, never the rule's imageExtractors.
  let images: ReturnType<typeof extractRuleImages>;
  try {
    images = extractRuleImages(resource);
  } catch {
    images = [];
  }
  const passed: string[] = [];
  const skipped: string[] = [];
  for (const iv of imageVerificationsOf(rule)) {
    for (const { info } of images) {
      const image = info.reference;
      if (!imageMatches(image, iv.imageReferences)) continue;
      if (iv.verifyDigest && info.digest === '')
        return ruleResult(rule.name, 'ImageVerify', 'fail', `missing digest for ${image}`);
      if (!iv.required) continue;
      let status: string;
      try {
        status = scopedVerificationStatus(
          resource,
          env.policyNamespace ?? '',
          env.policyName,
          rule.name,
          image,
        );
      } catch (e) {
        return ruleResult(rule.name, 'ImageVerify', 'fail', errorMessage(e));
      }
      if (status === 'fail') return ruleResult(rule.name, 'ImageVerify', 'fail', `unverified image ${image}`);
      (status === 'skip' ? skipped : passed).push(image);
    }
  }
  if (passed.length > 0 || skipped.length === 0)
    return ruleResult(
      rule.name,
      'ImageVerify',
      'pass',
      skipped.length > 0 ? ['image verified, skipped images:', ...skipped].join(' ') : 'image verified',
    );
  return ruleResult(
    rule.name,
    'ImageVerify',
    'skip',
    ['image skipped, skipped images:', ...skipped].join(' '),
  );
}
