// Where a call expression starts and ends in its source text, from the position V8 reports for it
// (the callee's last name: `dense` in `tf.layers.dense({...})`). A full parser (TypeScript's) would
// add megabytes to every child process for this one question; a scanner that knows brackets,
// strings, template literals and comments answers it for the calls layer code makes.

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface CallExtent {
  start: TextPosition;
  /** Just after the closing parenthesis. */
  end: TextPosition;
}

const NAME_CHAR = /[\w$]/;

/** The call around `at`, or undefined when no call starts there. */
export function callExtent(text: string, at: TextPosition): CallExtent | undefined {
  const lineStarts = lineOffsets(text);
  if (at.line < 1 || at.line > lineStarts.length) return undefined;
  const offset = lineStarts[at.line - 1] + at.column - 1;
  if (offset < 0 || offset >= text.length) return undefined;
  const start = calleeStart(text, offset);
  const open = openingParen(text, offset);
  if (open === undefined) return undefined;
  const close = matchingClose(text, open);
  if (close === undefined) return undefined;
  return { start: positionOf(lineStarts, start), end: positionOf(lineStarts, close + 1) };
}

function lineOffsets(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return starts;
}

function positionOf(lineStarts: number[], offset: number): TextPosition {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - lineStarts[low] + 1 };
}

/** Back over a member chain (`tf.layers.` before `dense`, `?.` included) to its first name. */
function calleeStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && NAME_CHAR.test(text[i - 1])) i--;
  for (;;) {
    let j = i;
    while (j > 0 && /\s/.test(text[j - 1])) j--;
    if (j === 0 || text[j - 1] !== ".") return i;
    j--;
    if (j > 0 && text[j - 1] === "?") j--;
    while (j > 0 && /\s/.test(text[j - 1])) j--;
    if (j === 0 || !NAME_CHAR.test(text[j - 1])) return i;
    while (j > 0 && NAME_CHAR.test(text[j - 1])) j--;
    i = j;
  }
}

/** Forward over the rest of the callee (names, dots, spaces) to its `(`. */
function openingParen(text: string, offset: number): number | undefined {
  for (let i = offset; i < text.length; i++) {
    const c = text[i];
    if (c === "(") return i;
    if (!NAME_CHAR.test(c) && c !== "." && c !== "?" && !/\s/.test(c)) return undefined;
  }
  return undefined;
}

const CLOSERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

/** The index of the bracket closing the one at `open`, skipping strings, templates and comments. */
function matchingClose(text: string, open: number): number | undefined {
  // Each entry is a bracket to close, or '`' for a template literal whose `${` is open.
  const stack: string[] = [];
  let i = open;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? text.length : eol;
      continue;
    }
    if (c === "/" && next === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close < 0 ? text.length : close + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      i = endOfString(text, i, c);
      continue;
    }
    if (c === "`") {
      const resumed = endOfTemplatePart(text, i + 1);
      if (resumed.opensExpression) stack.push("`");
      i = resumed.index;
      continue;
    }
    if (CLOSERS[c]) stack.push(CLOSERS[c]);
    else if (c === ")" || c === "]" || c === "}") {
      const expected = stack.pop();
      if (expected === "`" && c === "}") {
        // Back inside the template literal after its `${...}`.
        const resumed = endOfTemplatePart(text, i + 1);
        if (resumed.opensExpression) stack.push("`");
        i = resumed.index;
        continue;
      }
      if (expected !== c) return undefined;
      if (stack.length === 0) return i;
    }
    i++;
  }
  return undefined;
}

function endOfString(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === quote || text[i] === "\n") return i + 1;
  }
  return text.length;
}

/** From inside a template literal: to just after its closing backtick, or after a `${`. */
function endOfTemplatePart(text: string, start: number): { index: number; opensExpression: boolean } {
  for (let i = start; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "`") return { index: i + 1, opensExpression: false };
    else if (text[i] === "$" && text[i + 1] === "{") return { index: i + 2, opensExpression: true };
  }
  return { index: text.length, opensExpression: false };
}
