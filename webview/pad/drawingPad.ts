// A canvas to draw a digit on with the mouse, a pen or a finger (pointer events cover all three).
// It is drawn at ten times the dataset's size so strokes have the soft, thick edges MNIST's
// scanned digits have; the preprocessing then scales the ink down as the dataset's was.
import type { GreyImage } from "../../src/shared/preprocess";
import { el } from "../dom";

export const PAD_PIXELS = 280;
const STROKE = 22;

export class DrawingPad {
  readonly canvas = el("canvas", {
    className: "pad-canvas",
    attrs: { width: String(PAD_PIXELS), height: String(PAD_PIXELS), "aria-label": "Drawing pad: draw a digit" },
  });
  private readonly context: CanvasRenderingContext2D;
  private last: { x: number; y: number } | undefined;

  /** `onDraw` runs after every stroke segment. */
  constructor(private readonly onDraw: () => void) {
    this.context = this.canvas.getContext("2d", { willReadFrequently: true })!;
    this.clear();
    this.canvas.addEventListener("pointerdown", (e) => {
      this.canvas.setPointerCapture(e.pointerId);
      this.last = this.point(e);
      this.segment(this.last, this.last);
    });
    this.canvas.addEventListener("pointermove", (e) => {
      if (!this.last) return;
      const next = this.point(e);
      this.segment(this.last, next);
      this.last = next;
    });
    const end = () => (this.last = undefined);
    this.canvas.addEventListener("pointerup", end);
    this.canvas.addEventListener("pointercancel", end);
  }

  clear(): void {
    this.context.fillStyle = "#000";
    this.context.fillRect(0, 0, PAD_PIXELS, PAD_PIXELS);
  }

  /** The drawing as greys in [0,1], 1 = ink. */
  image(): GreyImage {
    const { data } = this.context.getImageData(0, 0, PAD_PIXELS, PAD_PIXELS);
    const pixels = new Float32Array(PAD_PIXELS * PAD_PIXELS);
    for (let i = 0; i < pixels.length; i++) pixels[i] = data[i * 4] / 255;
    return { width: PAD_PIXELS, height: PAD_PIXELS, pixels };
  }

  /** Shows an image (a test image, 0..1) scaled up to fill the pad. */
  showImage(width: number, height: number, pixels: ArrayLike<number>): void {
    const small = new ImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const v = Math.round(pixels[i] * 255);
      small.data.set([v, v, v, 255], i * 4);
    }
    const source = document.createElement("canvas");
    source.width = width;
    source.height = height;
    source.getContext("2d")!.putImageData(small, 0, 0);
    this.clear();
    this.context.imageSmoothingEnabled = false;
    this.context.drawImage(source, 0, 0, PAD_PIXELS, PAD_PIXELS);
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - box.left) * PAD_PIXELS) / box.width,
      y: ((e.clientY - box.top) * PAD_PIXELS) / box.height,
    };
  }

  private segment(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const c = this.context;
    c.strokeStyle = "#fff";
    c.lineWidth = STROKE;
    c.lineCap = "round";
    c.lineJoin = "round";
    c.beginPath();
    c.moveTo(from.x, from.y);
    c.lineTo(to.x, to.y);
    c.stroke();
    this.onDraw();
  }
}
