// Requests the panel makes of the host and awaits: each carries an id, and the answer with that id
// settles it (or a timeout does, so a lost answer never leaves a view waiting).
export class HostRequests<T> {
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: T) => void>();

  constructor(
    private readonly what: string,
    private readonly timeoutMs: number,
  ) {}

  ask(post: (requestId: number) => void): Promise<T> {
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new Error(`No answer for ${this.what}`));
      }, this.timeoutMs);
      this.waiting.set(requestId, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      post(requestId);
    });
  }

  answer(requestId: number, answer: T): void {
    const resolve = this.waiting.get(requestId);
    this.waiting.delete(requestId);
    resolve?.(answer);
  }
}
