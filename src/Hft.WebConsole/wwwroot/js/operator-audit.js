// Operator: the newest lines of the audit log (GET /api/v1/admin/audit), newest first.
import { get } from './api.js';
import { el, byId, time } from './dom.js';

export class AuditPanel {
  constructor() { this.tbody = byId('audit').querySelector('tbody'); }

  async load() {
    const lines = await get('/api/v1/admin/audit?limit=50');
    this.tbody.replaceChildren(...lines.map((a) => el('tr', { title: a.detail ?? '' },
      el('td', {}, time(a.time)), el('td', {}, a.subject), el('td', {}, a.action), el('td', {}, a.target), el('td', {}, a.result))));
  }
}
