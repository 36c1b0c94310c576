/**
 * A budget of weight (bytes) shared by concurrent work: holders up to its capacity, the rest
 * wait in arrival order. The server takes a push's decoded bytes from one before parsing it.
 */
/** Work heavier than the whole capacity is let in alone (when everything else is released). */
export class Budget {
  #free: number;
  readonly #capacity: number;
  readonly #waiting: { weight: number; resolve: () => void }[] = [];
  constructor(capacity: number) {
    this.#free = this.#capacity = capacity;
  }
  async acquire(weight: number): Promise<() => void> {
    const w = Math.min(weight, this.#capacity);
    if (this.#waiting.length === 0 && this.#free >= w) this.#free -= w;
    else await new Promise<void>((resolve) => this.#waiting.push({ weight: w, resolve }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#free += w;
      // in arrival order: a large push at the head is not passed over by small ones for ever
      while (this.#waiting.length > 0 && this.#free >= this.#waiting[0]!.weight) {
        const next = this.#waiting.shift()!;
        this.#free -= next.weight;
        next.resolve();
      }
    };
  }
}
