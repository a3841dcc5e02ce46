// Test images come from the host on demand: the panel asks with a request id and awaits the answer.
import type { PanelImage } from "../src/shared/webview-protocol";
import { postToHost } from "./host";
import { HostRequests } from "./requests";

export class ImageRequests extends HostRequests<PanelImage[]> {
  constructor() {
    super("the test images", 30_000);
  }

  load = (runId: string, indices: number[]): Promise<PanelImage[]> =>
    this.ask((requestId) => postToHost({ type: "testImages", requestId, runId, indices }));
}
