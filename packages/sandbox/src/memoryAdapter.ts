import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/**
 * An in-memory oidc-provider adapter owned by one sandbox: oidc-provider's own quick-start adapter
 * prints a production warning and is shared by every provider of the process. Expiry is checked
 * on read, so no timer outlives stop().
 */
export function createMemoryAdapter(): AdapterConstructor {
  const store = new Map<string, Entry>();
  const alive = (key: string): Entry | undefined => {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry;
  };

  return class MemoryAdapter implements Adapter {
    readonly #name: string;

    constructor(name: string) {
      this.#name = name;
    }

    #key(id: string): string {
      return `${this.#name}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
      store.set(this.#key(id), { payload, expiresAt });
      const { grantId, userCode, uid } = payload;
      if (typeof grantId === 'string') {
        const key = `grant:${grantId}`;
        const ids = (alive(key)?.payload['ids'] as string[] | undefined) ?? [];
        store.set(key, { payload: { ids: [...ids, this.#key(id)] }, expiresAt });
      }
      if (typeof userCode === 'string') store.set(`userCode:${userCode}`, { payload: { id }, expiresAt });
      if (typeof uid === 'string') store.set(`uid:${uid}`, { payload: { id }, expiresAt });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return alive(this.#key(id))?.payload;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const id = alive(`userCode:${userCode}`)?.payload['id'];
      return typeof id === 'string' ? this.find(id) : undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = alive(`uid:${uid}`)?.payload['id'];
      return typeof id === 'string' ? this.find(id) : undefined;
    }

    async consume(id: string): Promise<void> {
      const entry = alive(this.#key(id));
      if (entry) entry.payload['consumed'] = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      store.delete(this.#key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const key = `grant:${grantId}`;
      for (const id of (alive(key)?.payload['ids'] as string[] | undefined) ?? []) store.delete(id);
      store.delete(key);
    }
  };
}
