// Chart.js, tree-shaken to the pieces the panel draws with.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
} from "chart.js";
import type { ChartTheme } from "../theme";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
);

export { Chart };

/** Charts redraw on every live update, so animations would only lag behind the data. */
export function baseOptions(theme: ChartTheme): ChartConfiguration["options"] {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    normalized: true,
    color: theme.foreground,
    font: { family: theme.font },
    plugins: { legend: { labels: { color: theme.foreground, boxWidth: 12 } } },
  };
}

export function axis(theme: ChartTheme, title: string, extra: { ticks?: object; [option: string]: unknown } = {}) {
  return {
    ...extra,
    title: { display: true, text: title, color: theme.foreground },
    ticks: { color: theme.foreground, ...extra.ticks },
    grid: { color: theme.grid },
  };
}

export type AnyChart = Chart<ChartType, unknown[], unknown>;
