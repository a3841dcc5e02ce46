// Predictions for the panel's drawing pad, in the trainer child: each run's saved model is loaded
// once and kept while the pad is in use. The wasm backend predicts all four example models on one
// image in a few milliseconds; tfjs's JavaScript cpu backend in the webview took 300 ms for
// StrongCNN alone, so the child, not the webview, runs the models.
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { initBackend } from "../engine/backend";
import { loadLayersModelFolder } from "../engine/saved/load";
import { predictImages } from "../engine/saved/predict";
import type { Tf } from "../engine/tf";
import type { PredictModel, PredictionResult } from "../shared/protocol";

const MAX_MODELS = 16;

export class PredictionServer {
  private tf: Promise<Tf> | undefined;
  private readonly models = new Map<string, Promise<LayersModel>>();

  async predict(models: PredictModel[], pixels: number[]): Promise<PredictionResult[]> {
    const tf = await (this.tf ??= initBackend("auto", { threads: 1 }).then((b) => b.tf));
    const input = Float32Array.from(pixels);
    return Promise.all(
      models.map(async (m): Promise<PredictionResult> => {
        const started = performance.now();
        try {
          const size = m.inputShape.reduce((a, b) => a * b, 1);
          if (size !== input.length)
            throw new Error(`${m.model} takes ${m.inputShape.join("x")} images, not ${input.length} values`);
          const model = await this.model(tf, m);
          const [prediction] = await predictImages(tf, model, [input], m.inputShape, m.outputsProbabilities);
          return { runId: m.runId, top: prediction.top.slice(0, 5), ms: performance.now() - started };
        } catch (err) {
          return { runId: m.runId, error: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
  }

  private model(tf: Tf, m: PredictModel): Promise<LayersModel> {
    const key = `${m.dir}\0${m.sha256}`;
    let model = this.models.get(key);
    if (!model) {
      model = loadLayersModelFolder(tf, m.dir, m.sha256);
      model.catch(() => this.models.delete(key));
      this.models.set(key, model);
      if (this.models.size > MAX_MODELS) {
        const [oldest, evicted] = this.models.entries().next().value!;
        this.models.delete(oldest);
        void evicted.then(
          (loaded) => loaded.dispose(),
          () => undefined,
        );
      }
    }
    return model;
  }
}
