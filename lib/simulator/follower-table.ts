/** Flag bits of one follow (one openid of one account). */
export const SUBSCRIBED = 1;
/** The profile carries no unionid even though the account is bound to the Open Platform. */
export const NO_UNIONID = 2;

/**
 * Column store of one account's follows, indexed by slot (the index the openid encodes). A slot is
 * never removed: an unfollow clears SUBSCRIBED, so the openid stays valid and comes back as subscribe 0.
 */
export class FollowerTable {
  length = 0;
  person: Int32Array;
  subscribeTime: Uint32Array;
  scene: Uint8Array;
  flags: Uint8Array;

  constructor(capacity: number) {
    const size = Math.max(16, capacity);
    this.person = new Int32Array(size);
    this.subscribeTime = new Uint32Array(size);
    this.scene = new Uint8Array(size);
    this.flags = new Uint8Array(size);
  }

  append(person: number, subscribeTime: number, scene: number, flags: number): number {
    if (this.length === this.person.length) this.grow();
    const slot = this.length++;
    this.person[slot] = person;
    this.subscribeTime[slot] = subscribeTime;
    this.scene[slot] = scene;
    this.flags[slot] = flags;
    return slot;
  }

  isSubscribed(slot: number): boolean {
    return ((this.flags[slot] ?? 0) & SUBSCRIBED) !== 0;
  }

  private grow(): void {
    const size = this.person.length * 2;
    this.person = copyInto(new Int32Array(size), this.person);
    this.subscribeTime = copyInto(new Uint32Array(size), this.subscribeTime);
    this.scene = copyInto(new Uint8Array(size), this.scene);
    this.flags = copyInto(new Uint8Array(size), this.flags);
  }
}

function copyInto<T extends Int32Array | Uint32Array | Uint8Array>(target: T, source: T): T {
  target.set(source);
  return target;
}

/**
 * The order user/get lists an account's slots in: a fixed shuffle, not by time. Unsubscribed slots stay
 * in place (user/get skips them) so an old next_openid cursor still resolves. New slots go in at random
 * places, so a follower who arrives during a scan may land behind the cursor, as on WeChat.
 */
export class ListOrder {
  length = 0;
  slots: Uint32Array;

  constructor(capacity: number) {
    this.slots = new Uint32Array(Math.max(16, capacity));
  }

  push(slot: number): void {
    this.reserve(this.length + 1);
    this.slots[this.length++] = slot;
  }

  indexOf(slot: number): number {
    const found = this.slots.indexOf(slot);
    return found >= this.length ? -1 : found;
  }

  /** Inserts each slot before a random position in one pass. `randomInt(n)` returns [0, n). */
  insertAtRandom(newSlots: readonly number[], randomInt: (n: number) => number): void {
    if (newSlots.length === 0) return;
    const positions = newSlots.map(() => randomInt(this.length + 1)).sort((a, b) => a - b);
    this.reserve(this.length + newSlots.length);
    let end = this.length;
    for (let j = newSlots.length - 1; j >= 0; j--) {
      const at = positions[j] as number;
      this.slots.copyWithin(at + j + 1, at, end);
      this.slots[at + j] = newSlots[j] as number;
      end = at;
    }
    this.length += newSlots.length;
  }

  private reserve(size: number): void {
    if (size <= this.slots.length) return;
    const grown = new Uint32Array(Math.max(size, this.slots.length * 2));
    grown.set(this.slots.subarray(0, this.length));
    this.slots = grown;
  }
}
