import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../../../test/support/testbed.js';
import { loadKubeConfig } from './kube-client.js';
import { type LeaderElector, startLeaderElection } from './leader-election.js';

const timing = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 };

describe('leader election on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  before(async () => {
    tb = await startTestbed();
  });
  after(() => tb?.stop());

  /** Two electors on one Lease; samples who leads (both flags and the Lease's holder) every 50 ms. */
  async function race(lease: string) {
    const { config } = loadKubeConfig({ kubeconfig: tb.kubeconfig, env: {} });
    const events: string[] = [];
    const make = (identity: string): LeaderElector =>
      startLeaderElection({
        kubeConfig: config,
        namespace: 'default',
        name: lease,
        identity,
        timing,
        onStartedLeading: (signal) => {
          events.push(`${identity} leads`);
          signal.addEventListener('abort', () => events.push(`${identity} stops`));
        },
      });
    const electors = { a: make('a'), b: make('b') };
    let overlap = 0;
    const sampler = setInterval(() => {
      if (electors.a.isLeader() && electors.b.isLeader()) overlap++;
    }, 20);
    const holder = async (): Promise<string> => {
      const r = await tb.api('GET', `/apis/coordination.k8s.io/v1/namespaces/default/leases/${lease}`);
      return (r.body as { spec?: { holderIdentity?: string } }).spec?.holderIdentity ?? '';
    };
    const leader = (): 'a' | 'b' | undefined =>
      electors.a.isLeader() ? 'a' : electors.b.isLeader() ? 'b' : undefined;
    return {
      electors,
      events,
      holder,
      leader,
      overlap: () => overlap,
      done: async () => {
        clearInterval(sampler);
        await Promise.all([electors.a.stop(), electors.b.stop()]);
      },
    };
  }

  test('one of two leads, and the Lease names it', async () => {
    const r = await race('one-leads');
    try {
      const first = await eventually('a leader', 10_000, async () => r.leader());
      assert.equal(await r.holder(), first);
      // Several renewals later it still leads, alone.
      await new Promise((done) => setTimeout(done, 1500));
      assert.equal(r.leader(), first);
      assert.equal(r.overlap(), 0);
    } finally {
      await r.done();
    }
  });

  test('the leader dies without releasing: the other takes over within the lease duration, never both', async () => {
    const r = await race('takeover');
    try {
      const first = await eventually('a leader', 10_000, async () => r.leader());
      const other = first === 'a' ? 'b' : 'a';
      const killedAt = Date.now();
      await r.electors[first].stop({ release: false });
      await eventually('the other leads', 10_000, async () => (r.leader() === other ? true : undefined));
      const took = Date.now() - killedAt;
      // Lease duration plus one retry period and the request round trip.
      assert.ok(took <= timing.leaseDurationMs + timing.retryPeriodMs + 1000, `took ${took} ms`);
      assert.ok(took >= timing.leaseDurationMs - 500, `took over too early: ${took} ms`);
      assert.equal(await r.holder(), other);
      assert.equal(r.overlap(), 0);
    } finally {
      await r.done();
    }
  });

  test('a leader that stops releases the Lease: the other takes over at once', async () => {
    const r = await race('release');
    try {
      const first = await eventually('a leader', 10_000, async () => r.leader());
      const other = first === 'a' ? 'b' : 'a';
      const stoppedAt = Date.now();
      await r.electors[first].stop();
      assert.deepEqual(r.events.slice(-1), [`${first} stops`]);
      await eventually('the other leads', 5_000, async () => (r.leader() === other ? true : undefined));
      assert.ok(Date.now() - stoppedAt < timing.leaseDurationMs, 'took over before the lease expired');
      assert.equal(r.overlap(), 0);
    } finally {
      await r.done();
    }
  });

  test('a leader whose Lease is taken stops leading on its next round', async () => {
    const r = await race('stolen');
    try {
      const first = await eventually('a leader', 10_000, async () => r.leader());
      const path = '/apis/coordination.k8s.io/v1/namespaces/default/leases/stolen';
      const lease = (await tb.api('GET', path)).body as { spec: Record<string, unknown> };
      lease.spec.holderIdentity = 'intruder';
      const put = await tb.api('PUT', path, lease);
      assert.equal(put.status, 200, JSON.stringify(put.body));
      await eventually('the leader steps down', 5_000, async () =>
        r.electors[first].isLeader() ? undefined : true,
      );
      assert.ok(r.events.includes(`${first} stops`));
    } finally {
      await r.done();
    }
  });
});
