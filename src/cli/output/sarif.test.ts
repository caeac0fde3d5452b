import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FindingsReport } from './findings.js';
import { renderSarif, toUri } from './sarif.js';

const report: FindingsReport = {
  command: 'apply',
  findings: [
    {
      policy: 'disallow-latest-tag',
      rule: 'validate-image-tag',
      resource: 'default/Pod/good',
      status: 'pass',
      message: 'ok',
      policyInfo: {
        title: 'Disallow Latest Tag',
        description: 'The latest tag is mutable.',
        severity: 'medium',
        category: 'Best Practices',
      },
    },
    {
      policy: 'disallow-latest-tag',
      rule: 'validate-image-tag',
      resource: 'default/Pod/bad',
      status: 'fail',
      message: 'Using a mutable image tag e.g. latest is not allowed.',
      location: { file: './pods dir/pods.yaml', document: 1, line: 12, column: 16 },
      path: ['spec', 'containers', 0, 'image'],
      policyInfo: {
        title: 'Disallow Latest Tag',
        description: 'The latest tag is mutable.',
        severity: 'medium',
        category: 'Best Practices',
      },
    },
    {
      policy: 'p',
      rule: 'r',
      resource: 'default/Pod/s',
      status: 'warn',
      message: 'w',
      location: { file: '<stdin>', document: 0, line: 2, column: 1 },
    },
  ],
};

test('golden: rules with help from annotations, results with physical locations', () => {
  const log = JSON.parse(renderSarif(report, { toolVersion: '1.2.3' }));
  assert.deepEqual(log, {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'palisade',
            version: '1.2.3',
            informationUri: 'https://www.npmjs.com/package/@palisade-policy/cli',
            rules: [
              {
                id: 'disallow-latest-tag/validate-image-tag',
                name: 'validate-image-tag',
                shortDescription: { text: 'Disallow Latest Tag: validate-image-tag' },
                fullDescription: { text: 'The latest tag is mutable.' },
                help: {
                  text: 'Disallow Latest Tag\n\nThe latest tag is mutable.\n\nPolicy: disallow-latest-tag\nRule: validate-image-tag\nCategory: Best Practices\nSeverity: medium',
                  markdown:
                    '**Disallow Latest Tag**\n\nThe latest tag is mutable.\n\n- Policy: `disallow-latest-tag`\n- Rule: `validate-image-tag`\n- Category: Best Practices\n- Severity: medium',
                },
                defaultConfiguration: { level: 'error' },
                properties: {
                  tags: ['kubernetes', 'policy', 'Best Practices', 'security'],
                  'security-severity': '5.5',
                },
              },
              {
                id: 'p/r',
                name: 'r',
                shortDescription: { text: 'p: r' },
                fullDescription: { text: 'p: r' },
                help: { text: 'p\n\nPolicy: p\nRule: r', markdown: '**p**\n\n- Policy: `p`\n- Rule: `r`' },
                defaultConfiguration: { level: 'error' },
                properties: { tags: ['kubernetes', 'policy'] },
              },
            ],
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: [] }],
        columnKind: 'utf16CodeUnits',
        results: [
          {
            ruleId: 'disallow-latest-tag/validate-image-tag',
            ruleIndex: 0,
            level: 'error',
            message: { text: 'default/Pod/bad: Using a mutable image tag e.g. latest is not allowed.' },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: 'pods%20dir/pods.yaml' },
                  region: { startLine: 12, startColumn: 16 },
                },
                logicalLocations: [{ name: 'default/Pod/bad', kind: 'resource' }],
              },
            ],
            partialFingerprints: {
              'palisadeFinding/v1': 'disallow-latest-tag/validate-image-tag|default/Pod/bad',
            },
            properties: { status: 'fail', fieldPath: 'spec.containers[0].image' },
          },
          {
            ruleId: 'p/r',
            ruleIndex: 1,
            level: 'warning',
            message: { text: 'default/Pod/s: w' },
            // Standard input: the artifact `stdin`, the line in the piped stream.
            locations: [
              {
                physicalLocation: {
                  artifactLocation: {
                    uri: 'stdin',
                    description: { text: 'standard input: the line is in the piped stream' },
                  },
                  region: { startLine: 2, startColumn: 1 },
                },
                logicalLocations: [{ name: 'default/Pod/s', kind: 'resource' }],
              },
            ],
            partialFingerprints: { 'palisadeFinding/v1': 'p/r|default/Pod/s' },
            properties: { status: 'warn' },
          },
        ],
      },
    ],
  });
});

test('file paths become URI references', () => {
  assert.equal(toUri('a/b.yaml'), 'a/b.yaml');
  assert.equal(toUri('./a/b c.yaml'), 'a/b%20c.yaml');
  assert.equal(toUri('a\\b#1?.yaml'), 'a/b%231%3F.yaml');
  assert.equal(toUri('/abs/x.yaml'), 'file:///abs/x.yaml');
  assert.equal(toUri('C:\\x\\y.yaml'), 'file:///C:/x/y.yaml');
});
