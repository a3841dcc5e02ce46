// The webview's only link to the extension host: typed messages out, persisted view state.
import type { PanelState, WebviewToHost } from '../src/shared/webview-protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function postToHost(message: WebviewToHost): void {
  api.postMessage(message);
}

export const DEFAULT_STATE: PanelState = {
  version: 1,
  sort: { column: 'started', descending: true },
  filters: { text: '', status: '' },
  selected: [],
};

export function loadState(): PanelState {
  const saved = api.getState() as Partial<PanelState> | undefined;
  if (!saved || saved.version !== 1) return structuredClone(DEFAULT_STATE);
  return {
    ...structuredClone(DEFAULT_STATE),
    ...saved,
    filters: { ...DEFAULT_STATE.filters, ...saved.filters },
    selected: Array.isArray(saved.selected) ? saved.selected.filter((s) => typeof s === 'string') : [],
  };
}

export function saveState(state: PanelState): void {
  api.setState(state);
}
