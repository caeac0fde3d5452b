/** The closed set of diagnostic codes the engine emits (`area/kebab-name`). */
export type DiagnosticCode =
  /** A field the schema does not know. */
  | 'policy/unknown-field'
  /** A field has the wrong type (e.g. a string where a list is expected). */
  | 'policy/wrong-type'
  /** A required field is missing. */
  | 'policy/missing-field'
  /** A value is outside the allowed set (enum) or otherwise invalid. */
  | 'policy/invalid-value'
  /** A rule does not have exactly one of validate/mutate/generate/verifyImages. */
  | 'policy/rule-type'
  /** Two rules share a name. */
  | 'policy/duplicate-rule-name'
  /** An anchor that is not allowed where it is used, or malformed. */
  | 'policy/invalid-anchor'
  /** A condition operator Kyverno does not know. */
  | 'policy/unknown-operator'
  /** A document that is not a policy kind Palisade understands. */
  | 'policy/unsupported-kind'
  /** A JMESPath expression that does not parse. */
  | 'jmespath/syntax-error'
  /** A JMESPath function name that is not defined. */
  | 'jmespath/unknown-function'
  /** A `{{ }}` variable placed where Kyverno forbids it. */
  | 'variables/not-allowed'
  /** A regular expression that RE2 rejects. */
  | 'policy/invalid-regex'
  /** An input exceeded a bound (size, depth, aliases). */
  | 'limits/exceeded'
  /** A CLI test/values/user-info file without apiVersion/kind, or with the deprecated top-level `name` (Kyverno fails the run). */
  | 'test/deprecated-schema'
  /** A CEL expression in a policies.kyverno.io policy or exception that does not compile. */
  | 'cel/compile-error'
  /**
   * A PolicyException the set does not bind: exceptions are disabled, or it lies outside the
   * exception namespace (Kyverno's `--enablePolicyException` / `--exceptionNamespace`).
   */
  | 'policy/exception-ignored';
