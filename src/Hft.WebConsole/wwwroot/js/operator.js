// The operator view (admin role): instruments, accounts, pipeline health and the audit log. While it is shown,
// instruments, health and the audit tail are re-read every few seconds (reads the server does not audit).
import { byId, say } from './dom.js';
import { describe } from './errors.js';
import { InstrumentsPanel } from './operator-instruments.js';
import { AccountsPanel } from './operator-accounts.js';
import { HealthPanel } from './operator-health.js';
import { AuditPanel } from './operator-audit.js';

const POLL_MS = 2000;

export class OperatorView {
  #timer = null;

  constructor() {
    const message = byId('operator-message');
    this.message = message;
    this.instruments = new InstrumentsPanel(message);
    this.accounts = new AccountsPanel(message);
    this.health = new HealthPanel();
    this.audit = new AuditPanel();
  }

  start() {
    if (this.#timer) return;
    this.accounts.load().catch((e) => say(this.message, describe(e)));
    const poll = () => Promise.all([this.instruments.load(), this.health.load(), this.audit.load()])
      .catch((e) => say(this.message, describe(e)));
    poll();
    this.#timer = setInterval(poll, POLL_MS);
  }

  stop() {
    clearInterval(this.#timer);
    this.#timer = null;
  }
}
