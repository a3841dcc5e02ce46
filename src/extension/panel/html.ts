// The panel's HTML shell. Pure (no vscode import) so the browser tests load the bundle under
// exactly the CSP the extension uses.
import { randomBytes } from "node:crypto";

export interface PanelHtmlParts {
  /** webview.cspSource: the origin asWebviewUri resources are served from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** The page's title; the comparison panel's by default. */
  title?: string;
}

export function createNonce(): string {
  return randomBytes(18).toString("base64");
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  // Lit's components style themselves through constructable stylesheets, which style-src does
  // not govern; the panel's own CSS comes from a file, so no 'unsafe-inline' is needed.
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join("; ");
}

export function panelHtml(parts: PanelHtmlParts): string {
  const attr = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(parts.cspSource, parts.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(parts.styleUri)}">
<title>${attr(parts.title ?? "ArchLab: Compare")}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${attr(parts.nonce)}" src="${attr(parts.scriptUri)}"></script>
</body>
</html>`;
}
