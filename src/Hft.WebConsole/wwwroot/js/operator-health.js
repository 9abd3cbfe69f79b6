// Operator: pipeline health from GET /api/v1/admin/pipeline - acceptance and readiness, journal and replication
// state, shard queue depths and per-stage latency percentiles (since start, in microseconds).
import { get } from './api.js';
import { el, byId } from './dom.js';

export class HealthPanel {
  constructor() { this.node = byId('health'); }

  async load() {
    const p = await get('/api/v1/admin/pipeline');
    const tile = (label, value, cls) => el('div', { class: 'tile' }, el('span', {}, label), el('strong', { class: cls }, value));
    const r = p.replication ?? {};
    const j = p.journal;
    const stages = p.latency.sinceStart?.stages ?? {};
    this.node.replaceChildren(
      tile('Order entry', p.accepting ? 'accepting' : 'stopped', p.accepting ? 'buy' : 'sell'),
      tile('Ready', p.ready ? 'ready' : p.problems.join('; '), p.ready ? 'buy' : 'sell'),
      tile('Journal', j.failed ? `FAILED: ${j.failure}` : `${j.mode} · seq ${j.lastSequence}`, j.failed ? 'sell' : ''),
      tile('Durable / synced', `${j.durableSequence} / ${j.syncedSequence}`),
      tile('Replication', r.enabled ? `${r.role} · term ${r.term}` : r.role ?? 'single'),
      tile('Commit / applied', r.enabled ? `${r.commitIndex} / ${r.appliedIndex}` : '-'),
      tile('Snapshot', p.snapshot ? `seq ${p.snapshot.sequence}` : 'none'),
      el('table', { id: 'queues', 'aria-label': 'Shard queues' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Shard'), el('th', {}, 'Queue depth'), el('th', {}, 'Capacity'))),
        el('tbody', {}, p.shards.map((s) => el('tr', {}, el('td', {}, s.shard), el('td', {}, s.queueDepth), el('td', {}, s.queueCapacity))))),
      el('table', { id: 'latency', 'aria-label': 'Latency percentiles (microseconds, since start)' },
        el('thead', {}, el('tr', {}, ['Stage (μs)', 'count', 'p50', 'p99', 'p99.9', 'max'].map((h) => el('th', {}, h)))),
        el('tbody', {}, Object.entries(stages).map(([name, s]) => el('tr', {},
          el('td', {}, name), el('td', {}, s.count), el('td', {}, s.p50), el('td', {}, s.p99), el('td', {}, s.p999), el('td', {}, s.max))))),
    );
  }
}
