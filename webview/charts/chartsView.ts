// The panel's five charts. Each redraws only when the runs it shows changed.
import type { PanelRun } from '../../src/shared/webview-protocol';
import { el } from '../dom';
import { readTheme, type ChartTheme } from '../theme';
import { barsChart, latestPerModel, updateBars } from './barsChart';
import { chartCard, chartPng, type ChartCard } from './chartCard';
import type { AnyChart } from './chartjs';
import { curvesChart, updateCurves } from './curves';
import { paretoChart, paretoPoints, updatePareto } from './paretoChart';

export type ChartName = 'loss' | 'accuracy' | 'pareto' | 'test-loss' | 'learning-time';

const TITLES: Record<ChartName, string> = {
  loss: 'Loss per epoch (selected runs)',
  accuracy: 'Accuracy per epoch (selected runs)',
  pareto: 'Accuracy vs parameters',
  'test-loss': 'Test loss per model',
  'learning-time': 'Learning time per model',
};

const NAMES = Object.keys(TITLES) as ChartName[];

export class ChartsView {
  readonly element = el('div', { className: 'charts' });
  readonly charts = {} as Record<ChartName, AnyChart>;
  private readonly cards = {} as Record<ChartName, ChartCard>;
  private theme: ChartTheme = readTheme();

  constructor(onExport: (name: ChartName, pngDataUrl: string) => void) {
    for (const name of NAMES) {
      this.cards[name] = chartCard(name, TITLES[name], () => onExport(name, chartPng(this.charts[name], this.theme)));
      this.element.appendChild(this.cards[name].element);
    }
    this.create();
  }

  /** Theme colors are baked into chart options, so a theme change rebuilds the charts. */
  retheme(): void {
    this.theme = readTheme();
    for (const name of NAMES) this.charts[name].destroy();
    this.create();
  }

  updateCurves(selected: PanelRun[]): void {
    const message = selected.length ? undefined : 'Select runs in the table to compare their curves.';
    for (const metric of ['loss', 'accuracy'] as const) {
      this.cards[metric].setEmpty(message);
      updateCurves(this.charts[metric] as never, metric, selected, this.theme);
    }
  }

  updateSummaries(runs: Iterable<PanelRun>): void {
    const all = [...runs];
    const points = paretoPoints(all);
    this.cards.pareto.setEmpty(points.length ? undefined : 'No completed runs yet.');
    updatePareto(this.charts.pareto as never, points, this.theme);
    const bars = latestPerModel(all);
    for (const [name, metric] of [['test-loss', 'testLoss'], ['learning-time', 'learningTime']] as const) {
      this.cards[name].setEmpty(bars.length ? undefined : 'No completed runs yet.');
      updateBars(this.charts[name] as never, metric, bars, this.theme);
    }
  }

  private create(): void {
    const { cards, theme } = this;
    this.charts.loss = curvesChart(cards.loss.canvas, 'loss', theme) as unknown as AnyChart;
    this.charts.accuracy = curvesChart(cards.accuracy.canvas, 'accuracy', theme) as unknown as AnyChart;
    this.charts.pareto = paretoChart(cards.pareto.canvas, theme) as unknown as AnyChart;
    this.charts['test-loss'] = barsChart(cards['test-loss'].canvas, 'testLoss', theme) as unknown as AnyChart;
    this.charts['learning-time'] = barsChart(cards['learning-time'].canvas, 'learningTime', theme) as unknown as AnyChart;
  }
}
