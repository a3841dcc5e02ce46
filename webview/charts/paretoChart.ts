// Test accuracy against parameter count (log scale) for completed runs, Pareto front highlighted.
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import type { PanelRun } from '../../src/shared/webview-protocol';
import { formatInt } from '../format';
import { paretoFront } from '../pareto';
import { type ChartTheme, withAlpha } from '../theme';
import { axis, baseOptions, Chart } from './chartjs';

export interface ParetoPoint {
  x: number;
  y: number;
  params: number;
  accuracy: number;
  runId: string;
  model: string;
}

type ParetoChart = Chart<'scatter', ParetoPoint[]>;

export function paretoPoints(runs: Iterable<PanelRun>): ParetoPoint[] {
  const points: ParetoPoint[] = [];
  for (const run of runs) {
    const params = run.summary?.params.total;
    if (run.status !== 'completed' || !run.results || !params) continue;
    const accuracy = run.results.testAccuracy;
    points.push({ x: params, y: accuracy * 100, params, accuracy, runId: run.id, model: run.model });
  }
  return points;
}

export function paretoChart(canvas: HTMLCanvasElement, theme: ChartTheme): ParetoChart {
  const label = (item: TooltipItem<'scatter'>) => {
    const p = item.raw as ParetoPoint;
    return `${p.model}: ${p.y.toFixed(2)}% with ${formatInt(p.params)} params`;
  };
  const config: ChartConfiguration<'scatter', ParetoPoint[]> = {
    type: 'scatter',
    data: { datasets: [] },
    options: {
      ...(baseOptions(theme) as ChartConfiguration<'scatter'>['options']),
      parsing: false,
      scales: {
        x: axis(theme, 'Parameters (log scale)', { type: 'logarithmic' }),
        y: axis(theme, 'Test accuracy (%)'),
      },
      plugins: {
        legend: { labels: { color: theme.foreground, boxWidth: 12 } },
        tooltip: { callbacks: { label } },
      },
    },
  };
  return new Chart(canvas, config);
}

export function updatePareto(chart: ParetoChart, points: ParetoPoint[], theme: ChartTheme): void {
  const front = paretoFront(points);
  const onFront = new Set(front);
  const others = points.filter((p) => !onFront.has(p));
  const runColor = theme.palette[0];
  chart.data.datasets = [
    {
      label: 'Pareto front',
      data: front,
      showLine: true,
      borderColor: theme.highlight,
      backgroundColor: theme.highlight,
      pointRadius: 5,
      pointStyle: 'rectRot',
      borderWidth: 2,
    },
    { label: 'Other runs', data: others, borderColor: runColor, backgroundColor: withAlpha(runColor, 0.5), pointRadius: 3 },
  ];
  chart.update('none');
}
