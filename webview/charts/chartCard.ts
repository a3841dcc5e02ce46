// A titled chart with its own PNG export button.
import { el } from '../dom';
import type { ChartTheme } from '../theme';
import type { AnyChart } from './chartjs';

export interface ChartCard {
  element: HTMLElement;
  canvas: HTMLCanvasElement;
  /** Shown instead of the chart when there is nothing to draw. */
  setEmpty(message: string | undefined): void;
}

export function chartCard(name: string, title: string, onExport: (name: string) => void): ChartCard {
  const canvas = el('canvas', { attrs: { 'data-chart': name, role: 'img', 'aria-label': title } });
  const empty = el('div', { className: 'chart-empty' });
  const box = el('div', { className: 'chart-box' }, canvas, empty);
  const button = el('vscode-button' as 'button', { attrs: { secondary: '', 'data-export-chart': name } }, 'PNG');
  button.title = `Save "${title}" as PNG`;
  button.addEventListener('click', () => onExport(name));
  const element = el(
    'section',
    { className: 'chart-card', attrs: { 'data-chart-card': name } },
    el('header', {}, el('h3', {}, title), button),
    box,
  );
  return {
    element,
    canvas,
    setEmpty(message) {
      empty.textContent = message ?? '';
      // Chart.js owns the canvas's inline display style, so emptiness is a class on the box.
      box.classList.toggle('empty', Boolean(message));
    },
  };
}

/** The chart on the theme's background: a transparent PNG is unreadable on the other theme. */
export function chartPng(chart: AnyChart, theme: ChartTheme): string {
  const source = chart.canvas;
  const copy = document.createElement('canvas');
  copy.width = source.width;
  copy.height = source.height;
  const context = copy.getContext('2d')!;
  context.fillStyle = theme.background;
  context.fillRect(0, 0, copy.width, copy.height);
  context.drawImage(source, 0, 0);
  return copy.toDataURL('image/png');
}
