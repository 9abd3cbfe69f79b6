// One WebSocket to /ws for everything the console follows: public channels per symbol and the private user channel.
// Authenticates with {"op":"auth"} (the token never goes into a URL), resubscribes after a reconnect, and hands each
// message to the handlers of its channel.
import { session } from './session.js';

const RETRY_MS = [500, 1000, 2000, 5000];

export class MarketSocket {
  #ws = null;
  #subs = new Map(); // key -> subscribe message
  #handlers = new Map(); // channel -> Set of handlers
  #attempt = 0;
  #closed = false;
  #status = () => {};

  constructor(onStatus) { if (onStatus) this.#status = onStatus; }

  open() {
    this.#closed = false;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const ws = new WebSocket(url);
    this.#ws = ws;
    ws.onopen = () => {
      this.#attempt = 0;
      if (session.token) ws.send(JSON.stringify({ op: 'auth', token: session.token }));
      else this.#resubscribe();
    };
    ws.onmessage = (e) => this.#receive(JSON.parse(e.data));
    ws.onclose = () => {
      this.#status(false);
      if (this.#closed || this.#ws !== ws) return;
      const delay = RETRY_MS[Math.min(this.#attempt++, RETRY_MS.length - 1)];
      setTimeout(() => { if (!this.#closed) this.open(); }, delay);
    };
  }

  close() {
    this.#closed = true;
    this.#subs.clear();
    this.#handlers.clear();
    this.#ws?.close();
    this.#ws = null;
  }

  on(channel, handler) {
    if (!this.#handlers.has(channel)) this.#handlers.set(channel, new Set());
    this.#handlers.get(channel).add(handler);
  }

  subscribe(channel, symbol) {
    const message = { op: 'subscribe', channel, ...(symbol ? { symbol } : {}) };
    this.#subs.set(`${channel}/${symbol ?? ''}`, message);
    this.#send(message);
  }

  unsubscribe(channel, symbol) {
    if (this.#subs.delete(`${channel}/${symbol ?? ''}`)) this.#send({ op: 'unsubscribe', channel, symbol });
  }

  /** Subscribes again (a level2 gap: a fresh snapshot follows). */
  resubscribe(channel, symbol) {
    this.#send({ op: 'unsubscribe', channel, symbol });
    this.subscribe(channel, symbol);
  }

  #send(message) {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(message));
  }

  #resubscribe() {
    this.#status(true);
    for (const message of this.#subs.values()) this.#send(message);
  }

  #receive(message) {
    if (message.op === 'authenticated') { this.#resubscribe(); return; }
    if (message.op) return; // heartbeat, pong
    if (message.error) {
      if (message.error.code === 'unauthorized') this.#resubscribe(); // public channels still work without a token
      else console.warn('ws error', message.error);
      return;
    }
    this.#handlers.get(message.channel)?.forEach((h) => h(message));
  }
}
