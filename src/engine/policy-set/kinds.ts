/**
 * @module The table of policy kinds: adding a kind is one folder under engine/kinds and one entry
 * here. Table order is compile order (and the order problems are listed in); within a phase the
 * kinds run in table order.
 */
import { clusterPolicyKind } from './entries/cluster-policy.js';
import { deletingPolicyKind } from './entries/deleting-policy.js';
import { generatingPolicyKind } from './entries/generating-policy.js';
import { imageValidatingPolicyKind } from './entries/image-validating-policy.js';
import { mutatingAdmissionPolicyKind } from './entries/mutating-admission-policy.js';
import { mutatingPolicyKind } from './entries/mutating-policy.js';
import { validatingAdmissionPolicyKind } from './entries/validating-admission-policy.js';
import { validatingPolicyKind } from './entries/validating-policy.js';
import type { AnyKindEntry } from './types.js';

export const KIND_TABLE: readonly AnyKindEntry[] = [
  clusterPolicyKind,
  validatingPolicyKind,
  mutatingPolicyKind,
  mutatingAdmissionPolicyKind,
  generatingPolicyKind,
  deletingPolicyKind,
  imageValidatingPolicyKind,
  validatingAdmissionPolicyKind,
];

/** Documents that are not evaluated themselves but compiled into the policies they name. */
export type AttachmentName = 'policy-exception' | 'cel-policy-exception' | 'vap-binding' | 'map-binding';

export const ATTACHMENTS: readonly {
  readonly name: AttachmentName;
  readonly group: string;
  readonly kind: string;
}[] = [
  { name: 'policy-exception', group: 'kyverno.io', kind: 'PolicyException' },
  { name: 'cel-policy-exception', group: 'policies.kyverno.io', kind: 'PolicyException' },
  { name: 'vap-binding', group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
  { name: 'map-binding', group: 'admissionregistration.k8s.io', kind: 'MutatingAdmissionPolicyBinding' },
];
