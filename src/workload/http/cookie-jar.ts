/** The cookies of one HTTP user: enough of RFC 6265 for one host (name=value, deletion by Max-Age=0 / past Expires). */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((a) => {
        const [key = '', value = ''] = a.trim().split('=');
        if (key.toLowerCase() === 'max-age') return Number(value) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(value) < Date.now();
        return false;
      });
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, pair.slice(eq + 1).trim());
    }
  }

  set(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  /** A separate jar holding the same cookies now. */
  copy(): CookieJar {
    const jar = new CookieJar();
    for (const [name, value] of this.#cookies) jar.set(name, value);
    return jar;
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  names(): string[] {
    return [...this.#cookies.keys()];
  }

  /** The Cookie header to send; `except` leaves some cookies out. */
  header(except: readonly string[] = []): string {
    return [...this.#cookies]
      .filter(([name]) => !except.includes(name))
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  }
}
