// The confusion matrix as a heatmap on canvas; a click on a cell reports (true, predicted) when
// someone listens for it.
import { type ChartTheme, withAlpha } from '../theme';

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
  const canvas = document.createElement('canvas');
  if (onCell) canvas.className = 'confusion';
  canvas.width = size * ratio;
  canvas.height = size * ratio;
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `Confusion matrix: rows are true classes, columns predicted classes. ${mostConfused(confusion, classNames)}`);
  // Geometry for anyone locating cells (tests, accessibility tooling): CSS pixels.
  canvas.dataset.origin = String(MARGIN);
  canvas.dataset.cell = String(CELL);
  const context = canvas.getContext('2d')!;
  context.scale(ratio, ratio);
  draw(context, confusion, classNames, theme);
  if (onCell) {
    canvas.addEventListener('click', (event) => {
      const column = Math.floor((event.offsetX - MARGIN) / CELL);
      const row = Math.floor((event.offsetY - MARGIN) / CELL);
      if (row >= 0 && row < n && column >= 0 && column < n) onCell(row, column);
    });
  }
  return canvas;
}

/** The matrix in words: its three largest off-diagonal cells. */
export function mostConfused(confusion: number[][], classNames: string[]): string {
  const name = (label: number) => classNames[label] ?? String(label);
  const cells = confusion.flatMap((row, t) => row.map((count, p) => ({ t, p, count }))).filter((c) => c.t !== c.p && c.count > 0);
  if (!cells.length) return 'No test image was misclassified.';
  cells.sort((a, b) => b.count - a.count || a.t - b.t || a.p - b.p);
  return `Most confused: ${cells.slice(0, 3).map((c) => `true ${name(c.t)} predicted ${name(c.p)} ${c.count} times`).join(', ')}.`;
}

function draw(context: CanvasRenderingContext2D, confusion: number[][], classNames: string[], theme: ChartTheme): void {
  const n = confusion.length;
  context.font = `11px ${theme.font}`;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  confusion.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((count, p) => {
      const share = count / total;
      const x = MARGIN + p * CELL;
      const y = MARGIN + t * CELL;
      const base = t === p ? theme.palette[0] : theme.highlight;
      context.fillStyle = withAlpha(base, count === 0 ? 0.04 : 0.15 + 0.85 * Math.sqrt(share));
      context.fillRect(x + 1, y + 1, CELL - 2, CELL - 2);
      context.fillStyle = theme.foreground;
      if (count > 0) context.fillText(compact(count), x + CELL / 2, y + CELL / 2);
    });
  });
  context.fillStyle = theme.foreground;
  for (let i = 0; i < n; i++) {
    const name = shortName(classNames[i] ?? String(i));
    context.fillText(name, MARGIN + i * CELL + CELL / 2, MARGIN - 10);
    context.fillText(name, MARGIN - 16, MARGIN + i * CELL + CELL / 2);
  }
  context.fillText('pred →', MARGIN + (n * CELL) / 2, 8);
  context.save();
  context.translate(8, MARGIN + (n * CELL) / 2);
  context.rotate(-Math.PI / 2);
  context.fillText('true →', 0, 0);
  context.restore();
}

const compact = (n: number): string => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));
const shortName = (name: string): string => (name.length > 4 ? `${name.slice(0, 3)}…` : name);
