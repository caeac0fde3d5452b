/**
 * @module A schema-DSL node as a structural OpenAPI v3 schema (apiextensions.k8s.io/v1
 * JSONSchemaProps). What OpenAPI cannot say is left to Palisade's own validation: refinements,
 * case-insensitive enums and type unions become looser schemas, never stricter ones, so that the API
 * server accepts everything the engine accepts. Recursive shapes (nested `foreach`) stop at the first
 * repetition as schemaless JSON, as Kyverno's own CRDs do.
 */
import type { schemaDsl } from '../../engine/index.js';

type SchemaNode = schemaDsl.SchemaNode;

export interface JsonSchemaProps {
  type?: 'object' | 'array' | 'string' | 'boolean' | 'number' | 'integer';
  properties?: Record<string, JsonSchemaProps>;
  required?: string[];
  additionalProperties?: JsonSchemaProps;
  items?: JsonSchemaProps;
  enum?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  'x-kubernetes-preserve-unknown-fields'?: true;
}

/** Any JSON value: a node structural schemas allow without a type. */
const ANY: JsonSchemaProps = { 'x-kubernetes-preserve-unknown-fields': true };

/** Converts `node`; `seen` holds the lazy nodes being expanded on the current path. */
export function toOpenApi(node: SchemaNode, seen: ReadonlySet<SchemaNode> = new Set()): JsonSchemaProps {
  switch (node.type) {
    case 'any':
    case 'oneOf':
      return { ...ANY };
    case 'lazy':
      return seen.has(node) ? { ...ANY } : toOpenApi(node.get(), new Set([...seen, node]));
    case 'object': {
      const properties: Record<string, JsonSchemaProps> = {};
      const required: string[] = [];
      for (const [name, field] of Object.entries(node.fields)) {
        properties[name] = toOpenApi(field.node, seen);
        if (field.required) required.push(name);
      }
      return {
        type: 'object',
        ...(Object.keys(properties).length > 0 ? { properties } : {}),
        ...(required.length > 0 ? { required } : {}),
        ...(node.unknown === 'allow' || Object.keys(properties).length === 0 ? ANY : {}),
      };
    }
    case 'map':
      return { type: 'object', additionalProperties: toOpenApi(node.values, seen) };
    case 'array':
      return { type: 'array', items: toOpenApi(node.items, seen) };
    case 'string':
      return {
        type: 'string',
        ...(node.nonEmpty === true ? { minLength: 1 } : {}),
        ...(node.maxLength !== undefined ? { maxLength: node.maxLength } : {}),
      };
    case 'enum':
      return node.caseInsensitive === true ? { type: 'string' } : { type: 'string', enum: [...node.values] };
    case 'bool':
      return { type: 'boolean' };
    case 'number':
      return {
        type: node.integer === true ? 'integer' : 'number',
        ...(node.min !== undefined ? { minimum: node.min } : {}),
        ...(node.max !== undefined ? { maximum: node.max } : {}),
      };
  }
}
