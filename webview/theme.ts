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
  ["--vscode-charts-blue", "#3794ff"],
  ["--vscode-charts-orange", "#d18616"],
  ["--vscode-charts-green", "#89d185"],
  ["--vscode-charts-purple", "#b180d7"],
  ["--vscode-charts-red", "#f14c4c"],
  ["--vscode-charts-yellow", "#cca700"],
];

export function readTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const palette = PALETTE_VARS.map(([name, fallback]) => read(name, fallback));
  return {
    foreground: read("--vscode-charts-foreground", read("--vscode-foreground", "#cccccc")),
    grid: read("--vscode-charts-lines", "rgba(128, 128, 128, 0.35)"),
    background: read("--vscode-editor-background", "#1e1e1e"),
    palette,
    highlight: read("--vscode-charts-red", "#f14c4c"),
    focus: read("--vscode-contrastActiveBorder", read("--vscode-focusBorder", "#007fd4")),
    font: read("--vscode-font-family", "sans-serif"),
  };
}

/** VS Code swaps the body's theme class (vscode-light, vscode-dark, ...) when the theme changes. */
export function onThemeChange(listener: () => void): void {
  new MutationObserver(listener).observe(document.body, {
    attributes: true,
    attributeFilter: ["class", "data-vscode-theme-kind"],
  });
}

/** [r, g, b, alpha] of a #rgb, #rrggbb, #rrggbbaa, rgb() or rgba() colour; undefined for other forms. */
export function parseColor(color: string): [number, number, number, number] | undefined {
  const text = color.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(text)?.[1];
  if (hex && (hex.length === 3 || hex.length === 6 || hex.length === 8)) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
    const part = (i: number) => parseInt(full.slice(i, i + 2), 16);
    return [part(0), part(2), part(4), full.length === 8 ? part(6) / 255 : 1];
  }
  const rgb = /^rgba?\(([^)]+)\)$/i
    .exec(text)?.[1]
    .split(/[\s,/]+/)
    .filter(Boolean)
    .map(Number);
  if (rgb && rgb.length >= 3 && rgb.every(Number.isFinite)) return [rgb[0], rgb[1], rgb[2], rgb[3] ?? 1];
  return undefined;
}

/** WCAG's contrast ratio of two opaque colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, bl] = (parseColor(color) ?? [0, 0, 0]).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
}

/** The color with an alpha channel, for fills under theme colors given as #rrggbb. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (!hex) return color;
  const n = parseInt(hex[1], 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
