// Loss or accuracy per epoch of the selected runs: a solid train curve and a dashed test curve each.
import type { ChartConfiguration } from 'chart.js';
import type { EpochMetrics } from '../../src/engine/types';
import type { PanelRun } from '../../src/shared/webview-protocol';
import { runLabel } from '../format';
import type { ChartTheme } from '../theme';
import { axis, baseOptions, Chart } from './chartjs';

export type CurveMetric = 'loss' | 'accuracy';

interface Point {
  x: number;
  y: number;
}

// `grace` pads the y range by a fixed amount: with one epoch, or curves that barely move, the range
// would otherwise shrink to float noise and the ticks read 19.333333335, 19.333333330, ...
const METRIC = {
  loss: { title: 'Loss', grace: 0.01, train: (e: EpochMetrics) => e.loss, test: (e: EpochMetrics) => e.valLoss },
  accuracy: {
    title: 'Accuracy (%)',
    grace: 0.5,
    train: (e: EpochMetrics) => e.acc * 100,
    test: (e: EpochMetrics) => (e.valAcc === undefined ? undefined : e.valAcc * 100),
  },
};

export function curvesChart(canvas: HTMLCanvasElement, metric: CurveMetric, theme: ChartTheme): Chart<'line', Point[]> {
  const config: ChartConfiguration<'line', Point[]> = {
    type: 'line',
    data: { datasets: [] },
    options: {
      ...(baseOptions(theme) as ChartConfiguration<'line'>['options']),
      parsing: false,
      scales: {
        x: axis(theme, 'Epoch', { type: 'linear', min: 1, ticks: { stepSize: 1, precision: 0 } }),
        y: axis(theme, METRIC[metric].title, { grace: METRIC[metric].grace }),
      },
    },
  };
  return new Chart(canvas, config);
}

export function updateCurves(chart: Chart<'line', Point[]>, metric: CurveMetric, runs: PanelRun[], theme: ChartTheme): void {
  const { train, test } = METRIC[metric];
  chart.data.datasets = runs.flatMap((run, i) => {
    const color = theme.palette[i % theme.palette.length];
    const points = (pick: (e: EpochMetrics) => number | undefined) =>
      run.epochs.flatMap((e) => {
        const y = pick(e);
        return y === undefined || !Number.isFinite(y) ? [] : [{ x: e.epoch, y }];
      });
    const label = runLabel(run);
    const style = { borderColor: color, backgroundColor: color, pointRadius: 2, borderWidth: 2 };
    const testPoints = points(test);
    return [
      { label: `${label} train`, data: points(train), ...style },
      ...(testPoints.length ? [{ label: `${label} test`, data: testPoints, ...style, borderDash: [6, 4] }] : []),
    ];
  });
  chart.update('none');
}
