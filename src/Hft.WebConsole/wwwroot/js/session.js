// The signed-in session: the access token and the refresh token live in this module's memory only (never in
// localStorage or a cookie), so a reload or logout forgets them. The access token is rotated before it expires.

const listeners = new Set();

class Session {
  token = null;
  refreshToken = null;
  account = null;
  role = null;
  #timer = null;
  #refreshing = null;

  get signedIn() { return this.token !== null; }
  get isAdmin() { return this.role === 'admin'; }

  /** Exchanges an API key for a token; throws the ApiError of a refused key. */
  async login(apiKey) {
    const { post } = await import('./api.js');
    this.#accept(await post('/api/v1/auth/token', { apiKey }));
  }

  /** Rotates the refresh token for a new access token; false (and signed out) when the session is over. */
  refresh() {
    if (!this.refreshToken) return Promise.resolve(false);
    this.#refreshing ??= (async () => {
      try {
        const response = await fetch('/api/v1/auth/refresh', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken: this.refreshToken }),
        });
        if (!response.ok) { this.expired(); return false; }
        this.#accept(await response.json());
        return true;
      } catch {
        return false;
      } finally {
        this.#refreshing = null;
      }
    })();
    return this.#refreshing;
  }

  /** Ends the session on the server (its refresh token and tokens stop working), then forgets it here. */
  async logout() {
    if (this.token) {
      const { post } = await import('./api.js');
      try { await post('/api/v1/auth/logout'); } catch { /* the session ends here either way */ }
    }
    this.#clear();
  }

  /** The server refused the token and no refresh helped: forget it. */
  expired() { if (this.token) this.#clear(); }

  onChange(listener) { listeners.add(listener); }

  #accept(grant) {
    this.token = grant.token;
    this.refreshToken = grant.refreshToken ?? null;
    this.account = grant.account;
    this.role = grant.role;
    clearTimeout(this.#timer);
    // refresh at 80% of the lifetime; without a refresh token the user signs in again when it runs out
    if (this.refreshToken) this.#timer = setTimeout(() => this.refresh(), Math.max(5, grant.expiresIn * 0.8) * 1000);
    listeners.forEach((l) => l(this));
  }

  #clear() {
    clearTimeout(this.#timer);
    this.token = this.refreshToken = this.account = this.role = null;
    listeners.forEach((l) => l(this));
  }
}

export const session = new Session();
