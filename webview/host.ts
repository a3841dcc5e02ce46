// The webview's only link to the extension host: typed messages out, persisted view state.
import type { PanelState, WebviewToHost } from "../src/shared/webview-protocol";
import { restoreState } from "./state";

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

export function loadState(): PanelState {
  return restoreState(api.getState());
}

export function saveState(state: PanelState): void {
  api.setState(state);
}
