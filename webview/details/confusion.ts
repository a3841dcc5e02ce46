// The confusion matrix as a heatmap on canvas; a click on a cell, or Enter on the cell the arrow
// keys moved to, reports (true, predicted) when someone listens for it. Each count is written in
// black or white, whichever reads better on its cell's colour.
import { contrastRatio, parseColor, type ChartTheme, withAlpha } from "../theme";

const CELL = 30;
const MARGIN = 40;

export function confusionHeatmap(
  confusion: number[][],
  classNames: string[],
  theme: ChartTheme,
  onCell?: (trueLabel: number, predicted: number) => void,
): HTMLCanvasElement {
  const n = confusion.length;
  const size = MARGIN + n * CELL;
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  if (onCell) canvas.className = "confusion";
  canvas.width = size * ratio;
  canvas.height = size * ratio;
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  canvas.setAttribute("role", "img");
  canvas.setAttribute(
    "aria-label",
    `Confusion matrix: rows are true classes, columns predicted classes. ${mostConfused(confusion, classNames)}`,
  );
  // Geometry for anyone locating cells (tests, accessibility tooling): CSS pixels.
  canvas.dataset.origin = String(MARGIN);
  canvas.dataset.cell = String(CELL);
  const context = canvas.getContext("2d")!;
  context.scale(ratio, ratio);
  draw(context, confusion, classNames, theme);
  if (onCell) {
    canvas.addEventListener("click", (event) => {
      const column = Math.floor((event.offsetX - MARGIN) / CELL);
      const row = Math.floor((event.offsetY - MARGIN) / CELL);
      if (row >= 0 && row < n && column >= 0 && column < n) onCell(row, column);
    });
    keyboardCells(canvas, context, confusion, classNames, theme, onCell);
  }
  return canvas;
}

/** Arrow keys move a cell cursor, Enter or Space picks the cell; the label says where the cursor is. */
function keyboardCells(
  canvas: HTMLCanvasElement,
  context: CanvasRenderingContext2D,
  confusion: number[][],
  classNames: string[],
  theme: ChartTheme,
  onCell: (trueLabel: number, predicted: number) => void,
): void {
  const n = confusion.length;
  const summary = canvas.getAttribute("aria-label") ?? "";
  const name = (label: number) => classNames[label] ?? String(label);
  let cursor: [number, number] | undefined;
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-roledescription", "confusion matrix");
  canvas.setAttribute("aria-label", `${summary} Arrow keys move between cells, Enter shows a cell's images.`);
  const show = () => {
    draw(context, confusion, classNames, theme, cursor);
    if (cursor)
      canvas.setAttribute(
        "aria-label",
        `True ${name(cursor[0])}, predicted ${name(cursor[1])}: ${confusion[cursor[0]][cursor[1]]} images.`,
      );
  };
  canvas.addEventListener("keydown", (event) => {
    const step = (
      { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] } as Record<
        string,
        [number, number]
      >
    )[event.key];
    if (step) {
      event.preventDefault();
      const [t, p] = cursor ?? [0, 0];
      cursor = cursor ? [Math.max(0, Math.min(n - 1, t + step[0])), Math.max(0, Math.min(n - 1, p + step[1]))] : [0, 0];
      show();
    } else if ((event.key === "Enter" || event.key === " ") && cursor) {
      event.preventDefault();
      onCell(cursor[0], cursor[1]);
    }
  });
  canvas.addEventListener("focus", () => {
    cursor ??= [0, 0];
    show();
  });
  canvas.addEventListener("blur", () => {
    draw(context, confusion, classNames, theme);
  });
}

const textColors = new Map<string, string>();

/** Black or white, whichever contrasts more with `fill` laid over `background`. */
export function textColorOn(fill: string, background: string): string {
  const key = `${fill} ${background}`;
  let color = textColors.get(key);
  if (!color) textColors.set(key, (color = pickTextColor(fill, background)));
  return color;
}

function pickTextColor(fill: string, background: string): string {
  const under = parseColor(background) ?? [0, 0, 0, 1];
  const over = parseColor(fill) ?? under;
  const a = over[3];
  const mixed = `rgb(${[0, 1, 2].map((i) => Math.round(over[i] * a + under[i] * (1 - a))).join(", ")})`;
  return contrastRatio("#000000", mixed) >= contrastRatio("#ffffff", mixed) ? "#000000" : "#ffffff";
}

/** The matrix in words: its three largest off-diagonal cells. */
export function mostConfused(confusion: number[][], classNames: string[]): string {
  const name = (label: number) => classNames[label] ?? String(label);
  const cells = confusion
    .flatMap((row, t) => row.map((count, p) => ({ t, p, count })))
    .filter((c) => c.t !== c.p && c.count > 0);
  if (!cells.length) return "No test image was misclassified.";
  cells.sort((a, b) => b.count - a.count || a.t - b.t || a.p - b.p);
  return `Most confused: ${cells
    .slice(0, 3)
    .map((c) => `true ${name(c.t)} predicted ${name(c.p)} ${c.count} times`)
    .join(", ")}.`;
}

function draw(
  context: CanvasRenderingContext2D,
  confusion: number[][],
  classNames: string[],
  theme: ChartTheme,
  cursor?: [number, number],
): void {
  const n = confusion.length;
  context.clearRect(0, 0, MARGIN + n * CELL, MARGIN + n * CELL);
  context.font = `11px ${theme.font}`;
  context.textAlign = "center";
  context.textBaseline = "middle";
  confusion.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((count, p) => {
      const share = count / total;
      const x = MARGIN + p * CELL;
      const y = MARGIN + t * CELL;
      const base = t === p ? theme.palette[0] : theme.highlight;
      const fill = withAlpha(base, count === 0 ? 0.04 : 0.15 + 0.85 * Math.sqrt(share));
      context.fillStyle = fill;
      context.fillRect(x + 1, y + 1, CELL - 2, CELL - 2);
      context.fillStyle = textColorOn(fill, theme.background);
      if (count > 0) context.fillText(compact(count), x + CELL / 2, y + CELL / 2);
    });
  });
  if (cursor) {
    context.strokeStyle = theme.focus;
    context.lineWidth = 2;
    context.strokeRect(MARGIN + cursor[1] * CELL + 1, MARGIN + cursor[0] * CELL + 1, CELL - 2, CELL - 2);
  }
  context.fillStyle = theme.foreground;
  for (let i = 0; i < n; i++) {
    const name = shortName(classNames[i] ?? String(i));
    context.fillText(name, MARGIN + i * CELL + CELL / 2, MARGIN - 10);
    context.fillText(name, MARGIN - 16, MARGIN + i * CELL + CELL / 2);
  }
  context.fillText("pred →", MARGIN + (n * CELL) / 2, 8);
  context.save();
  context.translate(8, MARGIN + (n * CELL) / 2);
  context.rotate(-Math.PI / 2);
  context.fillText("true →", 0, 0);
  context.restore();
}

const compact = (n: number): string => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));
const shortName = (name: string): string => (name.length > 4 ? `${name.slice(0, 3)}…` : name);
