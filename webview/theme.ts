// Chart colors come from the VS Code theme's CSS variables, so charts follow light, dark and high
// contrast themes and change with them.
export interface ChartTheme {
  foreground: string;
  grid: string;
  background: string;
  palette: string[];
  highlight: string;
  /** The keyboard focus colour, also used for selections drawn on charts. */
  focus: string;
  font: string;
}

const PALETTE_VARS: [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-yellow', '#cca700'],
];

export function readTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const palette = PALETTE_VARS.map(([name, fallback]) => read(name, fallback));
  return {
    foreground: read('--vscode-charts-foreground', read('--vscode-foreground', '#cccccc')),
    grid: read('--vscode-charts-lines', 'rgba(128, 128, 128, 0.35)'),
    background: read('--vscode-editor-background', '#1e1e1e'),
    palette,
    highlight: read('--vscode-charts-red', '#f14c4c'),
    focus: read('--vscode-contrastActiveBorder', read('--vscode-focusBorder', '#007fd4')),
    font: read('--vscode-font-family', 'sans-serif'),
  };
}

/** VS Code swaps the body's theme class (vscode-light, vscode-dark, ...) when the theme changes. */
export function onThemeChange(listener: () => void): void {
  new MutationObserver(listener).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
}

/** The color with an alpha channel, for fills under theme colors given as #rrggbb. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (!hex) return color;
  const n = parseInt(hex[1], 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
