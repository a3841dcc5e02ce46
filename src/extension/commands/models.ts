// Show Model Summary and Create Example Models.
import * as vscode from "vscode";
import { join } from "node:path";
import type { ModelSummary } from "../../engine/types";
import { Commands, SUMMARY_SCHEME } from "../constants";
import { describeSize } from "../codelens/lenses";
import type { Inspector } from "../inspect/inspector";
import { registerCommand } from "./register";
import { modelTargetOf, pickModel } from "./targets";

const EXAMPLE_FILE = "mnist.model.ts";

/** What the model commands use of the workspace's ArchLab. */
export interface ModelCommandsHost {
  readonly log: vscode.LogOutputChannel;
  readonly root: string;
  readonly inspector: Pick<Inspector, "inspect">;
}

export function registerModelCommands(lab: ModelCommandsHost, extensionUri: vscode.Uri): vscode.Disposable[] {
  const summaries = new Map<string, string>();
  return [
    vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, {
      provideTextDocumentContent: (uri) => summaries.get(uri.toString()) ?? "",
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => summaries.delete(doc.uri.toString())),
    registerCommand(lab.log, {
      id: Commands.showModelSummary,
      failure: "Could not summarize the model",
      needsTrust: true,
      run: async (arg) => {
        const target = await modelTargetOf(arg, (file) => pickModel(lab.inspector, file));
        if (!target) return;
        const { model } = target;
        const inspection = await lab.inspector.inspect(target.file);
        if (inspection.error) throw inspection.error;
        const inspected = inspection.report?.models.find((m) => m.name === model);
        if (!inspected)
          throw new Error(`No architecture named ${model} in ${vscode.workspace.asRelativePath(target.file)}.`);
        if (inspected.error) throw new Error(`${model}: ${inspected.error.message}`);
        const content = inspected.summary ? summaryMarkdown(inspected.summary) : `# ${model}\n\nNo summary.`;
        const uri = vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${model}.md`, query: String(Date.now()) });
        summaries.set(uri.toString(), content);
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.languages.setTextDocumentLanguage(doc, "markdown");
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      },
    }),
    registerCommand(lab.log, {
      id: Commands.createExampleModels,
      failure: "Could not create the example models",
      run: async () => {
        const source = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, "examples", EXAMPLE_FILE));
        const target = await freeName(vscode.Uri.file(lab.root), EXAMPLE_FILE);
        await vscode.workspace.fs.writeFile(target, source);
        await vscode.window.showTextDocument(target);
      },
    }),
  ];
}

export function summaryMarkdown(summary: ModelSummary): string {
  const rows = summary.layers.map(
    (l) =>
      `| ${l.name} | ${l.type} | [${l.outputShape.join(", ")}] | ${l.params.toLocaleString("en-US")} | ${l.macs.toLocaleString("en-US")} |`,
  );
  return [
    `# ${summary.name}`,
    "",
    `${describeSize(summary.params.total, summary.macs)} · input [${summary.inputShape.join(", ")}] → output [${summary.outputShape.join(", ")}]`,
    "",
    "| Layer | Type | Output shape | Params | MACs |",
    "| --- | --- | --- | ---: | ---: |",
    ...rows,
    "",
    `Trainable ${summary.params.trainable.toLocaleString("en-US")}, non-trainable ${summary.params.nonTrainable.toLocaleString("en-US")}.`,
    "",
  ].join("\n");
}

/** `mnist.model.ts`, or `mnist-2.model.ts`... when it exists: never overwrite the user's file. */
async function freeName(folder: vscode.Uri, name: string): Promise<vscode.Uri> {
  const [stem, ...rest] = name.split(".");
  for (let i = 1; ; i++) {
    const candidate = vscode.Uri.file(join(folder.fsPath, i === 1 ? name : `${stem}-${i}.${rest.join(".")}`));
    try {
      await vscode.workspace.fs.stat(candidate);
    } catch {
      return candidate;
    }
  }
}
