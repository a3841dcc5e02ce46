// Misclassified test images drawn on canvas, with their true and predicted labels.
import type { Misclassified } from "../../src/engine/types";
import type { PanelImage } from "../../src/shared/webview-protocol";
import { el } from "../dom";

const SCALE = 2;

export function imageTile(image: PanelImage | undefined, item: Misclassified, classNames: string[]): HTMLElement {
  const [index, trueLabel, predicted] = item;
  const name = (label: number) => classNames[label] ?? String(label);
  const caption = el("figcaption", {}, `true ${name(trueLabel)} → ${name(predicted)}`);
  const figure = el("figure", {
    className: "test-image",
    title: `Test image #${index}`,
    attrs: { "data-index": String(index) },
  });
  figure.append(image ? drawImage(image) : el("div", { className: "image-missing" }, "no image"), caption);
  return figure;
}

export function drawImage(image: PanelImage): HTMLCanvasElement {
  const { width, height, pixels } = image;
  const channels = pixels.length >= width * height * 3 ? 3 : 1;
  const data = new ImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] =
      channels === 3 ? [pixels[i * 3], pixels[i * 3 + 1], pixels[i * 3 + 2]] : [pixels[i], pixels[i], pixels[i]];
    data.data.set([r, g, b, 255], i * 4);
  }
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  canvas.getContext("2d")!.putImageData(data, 0, 0);
  canvas.style.width = `${width * SCALE}px`;
  canvas.style.height = `${height * SCALE}px`;
  return canvas;
}
