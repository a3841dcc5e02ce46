// The drawing pad's predictions, asked of the host (which runs the models in a child process).
import type { PredictionResult } from "../../src/shared/protocol";
import { postToHost } from "../host";
import { HostRequests } from "../requests";

export class PredictionRequests extends HostRequests<PredictionResult[]> {
  constructor() {
    // The first request of a session starts the models' process and loads them.
    super("the predictions", 60_000);
  }

  predict = (runIds: string[], pixels: number[]): Promise<PredictionResult[]> =>
    this.ask((requestId) => postToHost({ type: "predict", requestId, runIds, pixels }));
}
