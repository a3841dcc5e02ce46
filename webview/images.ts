// Test images come from the host on demand: the panel asks with a request id and awaits the answer.
import type { PanelImage } from '../src/shared/webview-protocol';
import { postToHost } from './host';

const TIMEOUT_MS = 30_000;

export class ImageRequests {
  private nextId = 1;
  private readonly waiting = new Map<number, (images: PanelImage[]) => void>();

  load = (runId: string, indices: number[]): Promise<PanelImage[]> => {
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new Error('No answer for the test images'));
      }, TIMEOUT_MS);
      this.waiting.set(requestId, (images) => {
        clearTimeout(timer);
        resolve(images);
      });
      postToHost({ type: 'testImages', requestId, runId, indices });
    });
  };

  answer(requestId: number, images: PanelImage[]): void {
    const resolve = this.waiting.get(requestId);
    this.waiting.delete(requestId);
    resolve?.(images);
  }
}
