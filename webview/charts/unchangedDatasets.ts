// Chart.js updates every dataset's elements on every chart.update(), resolving each one's options
// again through its option proxies. On a live update of one running run, the other runs' lines have
// not changed, and updating them took about a third of the curves' redraw. Chart.js has no update of
// one dataset, but its cancelable `beforeDatasetUpdate` hook skips one: this plugin skips the
// datasets marked unchanged, provided the chart area and every scale are as they were when those
// elements were placed (otherwise every point moves). A mark lasts one update, so a resize, a legend
// click or a theme change updates every dataset.
import type { Chart, Plugin } from "chart.js";

const unchanged = new WeakSet<object>();
const layouts = new WeakMap<Chart, { key: string; moved: boolean }>();

/** Says that `dataset` has the data and style its elements were last updated with. */
export function markUnchanged(dataset: object): void {
  unchanged.add(dataset);
}

/** Where the elements land: the chart area and each scale's type, range and box. */
function layoutKey(chart: Chart): string {
  const { left, top, right, bottom } = chart.chartArea;
  const scales = Object.values(chart.scales).map(
    (s) => `${s.id} ${s.type} ${s.min} ${s.max} ${s.left} ${s.top} ${s.width} ${s.height}`,
  );
  return `${left} ${top} ${right} ${bottom}|${scales.join("|")}`;
}

export const skipUnchangedDatasets: Plugin = {
  id: "skipUnchangedDatasets",
  afterLayout(chart) {
    const key = layoutKey(chart);
    layouts.set(chart, { key, moved: layouts.get(chart)?.key !== key });
  },
  // Returning false cancels the dataset's update; undefined lets it run.
  beforeDatasetUpdate(chart, args) {
    const dataset = chart.data.datasets[args.index];
    const placed = layouts.get(chart)?.moved === false && args.mode === "none";
    return placed && unchanged.has(dataset) && args.meta.data.length === dataset.data.length ? false : undefined;
  },
  afterUpdate(chart) {
    for (const dataset of chart.data.datasets) unchanged.delete(dataset);
  },
};
