import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FindingsReport } from './findings.js';
import { renderJunit, xmlEscape } from './junit.js';

const report: FindingsReport = {
  command: 'apply',
  findings: [
    { policy: 'require-labels', rule: 'check', resource: 'default/Pod/good', status: 'pass', message: 'ok' },
    {
      policy: 'require-labels',
      rule: 'check',
      resource: 'default/Pod/bad',
      status: 'fail',
      message: "label 'app' is <required> & missing",
      location: { file: 'pods.yaml', document: 1, line: 14, column: 1 },
    },
    { policy: 'other', rule: 'e', resource: 'default/Pod/x', status: 'error', message: 'boom' },
    { policy: 'other', rule: 's', resource: 'default/Pod/x', status: 'skip', message: 'skipped' },
    { policy: 'other', rule: 'w', resource: 'default/Pod/x', status: 'warn', message: 'careful' },
  ],
};

test('golden: suites per policy, one testcase per rule result', () => {
  assert.equal(
    renderJunit(report, { toolVersion: '0' }),
    `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="palisade apply" tests="5" failures="1" errors="1" skipped="1">
  <testsuite name="require-labels" tests="2" failures="1" errors="0" skipped="0">
    <testcase classname="require-labels" name="check default/Pod/good"/>
    <testcase classname="require-labels" name="check default/Pod/bad" file="pods.yaml">
      <failure message="label &apos;app&apos; is &lt;required&gt; &amp; missing" type="fail">Policy: require-labels
Rule: check
Resource: default/Pod/bad
Location: pods.yaml:14:1
Message: label &apos;app&apos; is &lt;required&gt; &amp; missing</failure>
    </testcase>
  </testsuite>
  <testsuite name="other" tests="3" failures="0" errors="1" skipped="1">
    <testcase classname="other" name="e default/Pod/x">
      <error message="boom" type="error">Policy: other
Rule: e
Resource: default/Pod/x
Message: boom</error>
    </testcase>
    <testcase classname="other" name="s default/Pod/x">
      <skipped message="skipped"/>
    </testcase>
    <testcase classname="other" name="w default/Pod/x">
      <system-out>warning: Policy: other
Rule: w
Resource: default/Pod/x
Message: careful</system-out>
    </testcase>
  </testsuite>
</testsuites>`,
  );
});

test('xmlEscape drops characters XML 1.0 cannot hold', () => {
  assert.equal(xmlEscape('a\u0000b\u0007c\td\n'), 'abc\td\n');
  assert.equal(xmlEscape(`<"'&>`), '&lt;&quot;&apos;&amp;&gt;');
});
