// A few of VS Code's theme colours (Light Modern, Dark Modern, High Contrast), set on the page as
// VS Code sets them on a webview's body: the panel's CSS and charts read nothing else.
import type { Page } from "playwright-core";

export type ThemeKind = "light" | "dark" | "high-contrast";

const SHARED = {
  "--vscode-font-family": 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  "--vscode-font-size": "13px",
};

// Dark and high-contrast themes draw charts in the same colours.
const DARK_CHART_COLORS = {
  "--vscode-charts-blue": "#3794ff",
  "--vscode-charts-orange": "#d18616",
  "--vscode-charts-green": "#89d185",
  "--vscode-charts-purple": "#b180d7",
  "--vscode-charts-red": "#f14c4c",
  "--vscode-charts-yellow": "#cca700",
};

const THEMES: Record<ThemeKind, { bodyClass: string; vars: Record<string, string> }> = {
  light: {
    bodyClass: "vscode-light",
    vars: {
      "--vscode-foreground": "#3b3b3b",
      "--vscode-editor-background": "#ffffff",
      "--vscode-descriptionForeground": "#717171",
      "--vscode-panel-border": "#e5e5e5",
      "--vscode-focusBorder": "#005fb8",
      "--vscode-editorWidget-background": "#f8f8f8",
      "--vscode-list-hoverBackground": "#f2f2f2",
      "--vscode-list-inactiveSelectionBackground": "#e4e6f1",
      "--vscode-charts-foreground": "#616161",
      "--vscode-charts-lines": "rgba(97, 97, 97, 0.5)",
      "--vscode-charts-blue": "#1a85ff",
      "--vscode-charts-orange": "#d18616",
      "--vscode-charts-green": "#388a34",
      "--vscode-charts-purple": "#652d90",
      "--vscode-charts-red": "#e51400",
      "--vscode-charts-yellow": "#bf8803",
      "--vscode-button-background": "#005fb8",
      "--vscode-button-foreground": "#ffffff",
      "--vscode-button-secondaryBackground": "#e5e5e5",
      "--vscode-button-secondaryForeground": "#3b3b3b",
      "--vscode-input-background": "#ffffff",
      "--vscode-input-foreground": "#3b3b3b",
      "--vscode-input-border": "#cecece",
      "--vscode-dropdown-background": "#ffffff",
      "--vscode-dropdown-foreground": "#3b3b3b",
      "--vscode-dropdown-border": "#cecece",
      "--vscode-errorForeground": "#a1260d",
      "--vscode-testing-iconPassed": "#388a34",
      "--vscode-editorWarning-foreground": "#bf8803",
    },
  },
  dark: {
    bodyClass: "vscode-dark",
    vars: {
      "--vscode-foreground": "#cccccc",
      "--vscode-editor-background": "#1f1f1f",
      "--vscode-descriptionForeground": "#9d9d9d",
      "--vscode-panel-border": "#2b2b2b",
      "--vscode-focusBorder": "#0078d4",
      "--vscode-editorWidget-background": "#202020",
      "--vscode-list-hoverBackground": "#2a2d2e",
      "--vscode-list-inactiveSelectionBackground": "#37373d",
      "--vscode-charts-foreground": "#cccccc",
      "--vscode-charts-lines": "rgba(204, 204, 204, 0.5)",
      ...DARK_CHART_COLORS,
      "--vscode-button-background": "#0078d4",
      "--vscode-button-foreground": "#ffffff",
      "--vscode-button-secondaryBackground": "#313131",
      "--vscode-button-secondaryForeground": "#cccccc",
      "--vscode-input-background": "#313131",
      "--vscode-input-foreground": "#cccccc",
      "--vscode-input-border": "#3c3c3c",
      "--vscode-dropdown-background": "#313131",
      "--vscode-dropdown-foreground": "#cccccc",
      "--vscode-dropdown-border": "#3c3c3c",
      "--vscode-errorForeground": "#f85149",
      "--vscode-testing-iconPassed": "#73c991",
      "--vscode-editorWarning-foreground": "#cca700",
    },
  },
  "high-contrast": {
    bodyClass: "vscode-high-contrast",
    vars: {
      "--vscode-foreground": "#ffffff",
      "--vscode-editor-background": "#000000",
      "--vscode-descriptionForeground": "rgba(255, 255, 255, 0.7)",
      "--vscode-panel-border": "#6fc3df",
      "--vscode-contrastBorder": "#6fc3df",
      "--vscode-contrastActiveBorder": "#f38518",
      "--vscode-focusBorder": "#f38518",
      "--vscode-editorWidget-background": "#0c141f",
      "--vscode-charts-foreground": "#ffffff",
      "--vscode-charts-lines": "rgba(255, 255, 255, 0.5)",
      ...DARK_CHART_COLORS,
      "--vscode-button-background": "#000000",
      "--vscode-button-foreground": "#ffffff",
      "--vscode-button-border": "#6fc3df",
      "--vscode-button-secondaryBackground": "#000000",
      "--vscode-button-secondaryForeground": "#ffffff",
      "--vscode-input-background": "#000000",
      "--vscode-input-foreground": "#ffffff",
      "--vscode-input-border": "#6fc3df",
      "--vscode-dropdown-background": "#000000",
      "--vscode-dropdown-foreground": "#ffffff",
      "--vscode-dropdown-border": "#6fc3df",
      "--vscode-errorForeground": "#f48771",
      "--vscode-testing-iconPassed": "#73c991",
      "--vscode-editorWarning-foreground": "#ffd370",
    },
  },
};

/** Switches the page to a theme as VS Code does: the variables, then the body's theme class. */
export async function applyTheme(page: Page, kind: ThemeKind): Promise<void> {
  const theme = THEMES[kind];
  // The settings editor's inputs, which the toolkit's text field and select draw with, share the input colours.
  const input = (part: string) => theme.vars[`--vscode-input-${part}`];
  const settings = {
    "--vscode-settings-textInputBackground": input("background"),
    "--vscode-settings-textInputForeground": input("foreground"),
    "--vscode-settings-textInputBorder": input("border"),
    "--vscode-settings-dropdownBackground": input("background"),
    "--vscode-settings-dropdownForeground": input("foreground"),
    "--vscode-settings-dropdownBorder": input("border"),
  };
  await page.evaluate(
    ({ vars, bodyClass }) => {
      const body = document.body;
      body.removeAttribute("style");
      for (const [name, value] of Object.entries(vars)) body.style.setProperty(name, value);
      body.dataset.vscodeThemeKind = bodyClass;
      body.className = bodyClass;
    },
    { vars: { ...SHARED, ...settings, ...theme.vars }, bodyClass: theme.bodyClass },
  );
  await page.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}
